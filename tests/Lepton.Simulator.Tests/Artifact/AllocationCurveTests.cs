using Lepton.Simulator.Artifact;

namespace Lepton.Simulator.Tests.Artifact;

public class AllocationCurveTests
{
    [Fact]
    public void At_Bucket_IsTheRoundedMeanOfItsEvents()
    {
        // 100 GPUs: arrive% = arrived/100/10, alloc% = allocated/100/10.
        var sut = new AllocationCurve(100_000);
        sut.Record(99_600, 95_001); // 99.6 → bucket 100, alloc 95.00 (95.001 rounded)
        sut.Record(100_400, 95_136); // 100.4 → 100, 95.14 (95.136 rounded)
        sut.Record(100_600, 96_000); // 100.6 → 101

        Assert.Equal(95.07, sut.At(100)); // mean(95.00, 95.14)
        Assert.Equal(96.00, sut.At(101));
    }

    [Fact]
    public void Record_HalfPercent_RoundsToEven()
    {
        var sut = new AllocationCurve(100_000);
        sut.Record(100_500, 10_000); // 100.5 → 100 (half to even)
        sut.Record(101_500, 20_000); // 101.5 → 102

        Assert.Equal(10.00, sut.At(100));
        Assert.Equal(20.00, sut.At(102));
        Assert.Equal(102, sut.MaxLevel);
    }

    [Fact]
    public void At_EmptyBucket_FallsBackToTheNeighbours()
    {
        var sut = new AllocationCurve(100_000);
        sut.Record(98_000, 50_000); // bucket 98
        sut.Record(100_000, 60_000); // bucket 100
        sut.Record(100_000, 70_000); // bucket 100

        Assert.Equal(Math.Round((50 + 60 + 70) / 3.0, 2), sut.At(99)); // events in [98, 100]
        Assert.Null(sut.At(96));
        Assert.Equal(65.00, sut.At(101)); // only bucket 100 in [100, 102]
        Assert.Null(sut.At(102));
    }

    [Fact]
    public void ToArray_CoversEveryLevel()
    {
        var sut = new AllocationCurve(1_000);
        sut.Record(0, 0);
        sut.Record(1_000, 1_000);

        var curve = sut.ToArray();

        Assert.Equal(101, curve.Length);
        Assert.Equal(0.0, curve[0]);
        Assert.Equal(100.0, curve[100]);
        Assert.Null(curve[50]);
    }
}
