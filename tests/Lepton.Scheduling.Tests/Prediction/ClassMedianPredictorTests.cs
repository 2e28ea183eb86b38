using Lepton.Scheduling.Prediction;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Prediction;

public class ClassMedianPredictorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryPredict_NoHistory_ReturnsFalse()
    {
        var sut = new ClassMedianPredictor();

        Assert.False(sut.TryPredict(Make.Pod("a", gpus: 1), T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_SameShapeFinished_MedianOfThatShape()
    {
        var sut = new ClassMedianPredictor();
        var history = new JobHistory();
        var one = Make.Pod("one", gpus: 1);
        var two = Make.Pod("two", gpus: 2);
        history.Add(JobHistoryTests.Finished(one, 1, 100));
        history.Add(JobHistoryTests.Finished(two, 2, 9999));
        history.Add(JobHistoryTests.Finished(one, 3, 300));
        history.Add(JobHistoryTests.Finished(one, 4, 200));

        Assert.True(sut.TryPredict(Make.Pod("new", gpus: 1), T0, history, out var prediction));

        Assert.Equal(new DurationPrediction(200, DurationSource.Predicted, "class-median"), prediction);
    }

    [Fact]
    public void TryPredict_NewShape_MedianOfAllRecent()
    {
        var sut = new ClassMedianPredictor();
        var history = new JobHistory();
        history.Add(JobHistoryTests.Finished(Make.Pod("a", gpus: 1), 1, 100));
        history.Add(JobHistoryTests.Finished(Make.Pod("b", gpus: 2), 2, 300));

        Assert.True(sut.TryPredict(Make.Pod("c", gpus: 4), T0, history, out var prediction));

        Assert.Equal(200, prediction.Seconds);
    }

    [Fact]
    public void TryPredict_ZeroRunTimes_AtLeastOneSecond()
    {
        var sut = new ClassMedianPredictor();
        var history = new JobHistory();
        history.Add(JobHistoryTests.Finished(Make.Pod("a"), 1, 0));

        Assert.True(sut.TryPredict(Make.Pod("b"), T0, history, out var prediction));

        Assert.Equal(1, prediction.Seconds);
    }
}
