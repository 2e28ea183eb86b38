using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Prediction;

public class JobHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static FinishedJob Finished(PodDemand pod, double finishedSeconds, double runSeconds) =>
        new(pod, T0, T0.AddSeconds(finishedSeconds), runSeconds);

    [Fact]
    public void Add_KeepsFinishOrder_PerShapeAndOverall()
    {
        var sut = new JobHistory();
        var a = Make.Pod("a", gpus: 1);
        var b = Make.Pod("b", gpus: 2);
        sut.Add(Finished(a, 10, 1));
        sut.Add(Finished(b, 20, 2));
        sut.Add(Finished(a, 20, 3));

        Assert.Equal([1.0, 3.0], sut.OfShape(JobShape.Of(a)).Select(j => j.RunSeconds));
        Assert.Equal([1.0, 2.0, 3.0], sut.Recent.Select(j => j.RunSeconds));
        Assert.Equal(3, sut.Count);
        Assert.Equal(T0.AddSeconds(20), sut.LastFinishedAt);
    }

    [Fact]
    public void Add_PastTheBounds_DropsTheOldest()
    {
        var sut = new JobHistory(perShape: 2, recent: 3);
        var a = Make.Pod("a", gpus: 1);
        for (var i = 1; i <= 5; i++)
        {
            sut.Add(Finished(a, i, i));
        }

        Assert.Equal([4.0, 5.0], sut.OfShape(JobShape.Of(a)).Select(j => j.RunSeconds));
        Assert.Equal([3.0, 4.0, 5.0], sut.Recent.Select(j => j.RunSeconds));
        Assert.Equal(5, sut.Count);
    }

    [Fact]
    public void Add_FinishedBeforeTheLast_ThrowsArgumentException()
    {
        var sut = new JobHistory();
        sut.Add(Finished(Make.Pod("a"), 20, 1));

        var e = Assert.Throws<ArgumentException>(() => sut.Add(Finished(Make.Pod("b"), 10, 1)));

        Assert.Equal("job", e.ParamName);
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void OfShape_Unknown_IsEmpty()
    {
        var sut = new JobHistory();

        Assert.Empty(sut.OfShape("nothing"));
        Assert.Null(sut.LastFinishedAt);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Constructor_BoundBelowOne_Throws(int perShape, int recent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobHistory(perShape, recent));
    }
}
