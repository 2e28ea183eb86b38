using Lepton.Models.Prediction;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Tests.Prediction;

public class ShapeMedianDurationPredictorTests
{
    [Fact]
    public void TryPredict_ShapeHistory_MedianOfThatShape()
    {
        var pod = Jobs.Pod("a");
        var history = Jobs.History(pod, 10, 1000, 100);
        var sut = new ShapeMedianDurationPredictor();

        Assert.True(sut.TryPredict(pod, Jobs.T0.AddDays(1), history, out var prediction));

        Assert.Equal(100, prediction.Seconds, 6);
        Assert.Equal(DurationSource.Predicted, prediction.Source);
        Assert.Equal("shape-median", prediction.Version);
    }

    [Fact]
    public void TryPredict_NoJobOfThatShape_RecentMedian()
    {
        var history = Jobs.History(Jobs.Pod("other", cpuMilli: 1000), 20, 40, 60);
        var sut = new ShapeMedianDurationPredictor();

        Assert.True(sut.TryPredict(Jobs.Pod("a"), Jobs.T0.AddDays(1), history, out var prediction));

        Assert.Equal(40, prediction.Seconds, 6);
    }

    [Fact]
    public void TryPredict_EmptyHistory_SixHundredSeconds()
    {
        var sut = new ShapeMedianDurationPredictor();

        Assert.True(sut.TryPredict(Jobs.Pod("a"), Jobs.T0, new JobHistory(), out var prediction));

        Assert.Equal(600, prediction.Seconds, 6);
    }
}
