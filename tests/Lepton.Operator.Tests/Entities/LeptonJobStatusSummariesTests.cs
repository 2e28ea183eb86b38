using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Entities;

public class LeptonJobStatusSummariesTests
{
    [Theory]
    [InlineData(4, null, 1, "4")]
    [InlineData(4, null, 2, "8")]
    [InlineData(1, 460, 4, "4x460m")]
    [InlineData(1, 1000, 3, "3")]
    [InlineData(0, null, 5, "0")]
    [InlineData(2, null, 0, "0")]
    public void FormatGpus_Demand_IsCountOrShare(int gpus, int? milli, int replicas, string expected)
    {
        var accelerators = new V1Alpha1LeptonJobAccelerators { Gpus = gpus, GpuMilli = milli };

        Assert.Equal(expected, LeptonJobStatusSummaries.FormatGpus(accelerators, replicas));
    }

    [Fact]
    public void FormatGpus_NoAccelerators_IsZero()
    {
        Assert.Equal("0", LeptonJobStatusSummaries.FormatGpus(null, 3));
    }

    [Fact]
    public void FormatNodes_Replicas_DistinctNamesInIndexOrder()
    {
        V1Alpha1LeptonJobReplicaStatus[] replicas =
        [
            new() { Index = 2, NodeName = "gpu-b" },
            new() { Index = 0, NodeName = "gpu-a" },
            new() { Index = 1, NodeName = "gpu-b" },
            new() { Index = 3 },
        ];

        Assert.Equal("gpu-a,gpu-b", LeptonJobStatusSummaries.FormatNodes(replicas));
        Assert.Equal(string.Empty, LeptonJobStatusSummaries.FormatNodes(null));
    }

    [Fact]
    public void FormatNodes_ManyNodes_CountsTheRest()
    {
        var replicas = Enumerable.Range(0, 13).Select(i => new V1Alpha1LeptonJobReplicaStatus { Index = i, NodeName = $"n{i}" });

        Assert.Equal("n0,n1,n2,n3,n4,n5,n6,n7,+5 more", LeptonJobStatusSummaries.FormatNodes(replicas));
    }
}
