using Lepton.Scheduling.Scoring;

namespace Lepton.Scheduling.Tests.Scoring;

public class BatchPartitionTests
{
    [Theory]
    [InlineData(0, 16, 1)]
    [InlineData(100, 16, 1)]
    [InlineData(1999, 16, 1)]
    [InlineData(2000, 2, 4)]
    [InlineData(5000, 1, 1)]
    [InlineData(5000, 2, 4)]
    [InlineData(5000, 16, 10)]
    [InlineData(100_000, 4, 8)]
    public void PartCount_BySizeAndCores(int nodes, int cores, int expected)
    {
        Assert.Equal(expected, BatchPartition.PartCount(nodes, cores));
    }

    [Theory]
    [InlineData(5000, 16, 1)]
    [InlineData(BatchPartition.MinParallelFitNodes - 1, 16, 1)]
    [InlineData(BatchPartition.MinParallelFitNodes, 2, 4)]
    [InlineData(100_000, 4, 8)]
    public void FitPartCount_OneCoreBelowTheFitThreshold(int nodes, int cores, int expected)
    {
        Assert.Equal(expected, BatchPartition.FitPartCount(nodes, cores));
    }

    [Theory]
    [InlineData(2000, 2)]
    [InlineData(5003, 2)]
    [InlineData(7777, 16)]
    [InlineData(100_000, 4)]
    public void Start_PartsAreContiguousCoverEveryItemOnceAndAreNotTooSmall(int n, int cores)
    {
        var parts = BatchPartition.PartCount(n, cores);
        var covered = 0;
        for (var c = 0; c < parts; c++)
        {
            var lo = BatchPartition.Start(n, parts, c);
            var hi = BatchPartition.Start(n, parts, c + 1);
            Assert.Equal(covered, lo);
            Assert.True(hi - lo >= BatchPartition.MinPartNodes, $"part {c} of {parts} has {hi - lo} items");
            covered = hi;
        }

        Assert.Equal(n, covered);
    }
}
