using Lepton.Models.Features;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Tests.Features;

public class PredictorFeaturesTests
{
    private static float Column(float[] row, string name) => row[PredictorFeatures.Names.IndexOf(name)];

    private static float[] Write(Lepton.Scheduling.Inventory.PodDemand pod, DateTimeOffset at, JobHistory history)
    {
        var row = new float[PredictorFeatures.Count];
        PredictorFeatures.Write(pod, at, history, row);
        return row;
    }

    [Fact]
    public void Names_V2_UniqueAndVersioned()
    {
        Assert.Equal("lepton.predictor-features/v2", PredictorFeatures.Version);
        Assert.Equal(PredictorFeatures.Count, PredictorFeatures.Names.Distinct().Count());
    }

    [Fact]
    public void Write_EmptyHistory_DefaultsAndMissingFlags()
    {
        var sut = Write(Jobs.Pod("a"), Jobs.T0, new JobHistory());

        Assert.Equal(1f, Column(sut, "shape.missing"));
        Assert.Equal(1f, Column(sut, "class.missing"));
        Assert.Equal(0f, Column(sut, "shape.count"));
        Assert.Equal((float)(Math.Log(600) / 10), Column(sut, "shape.median_log"), 6);
        Assert.Equal((float)(Math.Log(600) / 10), Column(sut, "recent.median_log"), 6);
        Assert.All(sut, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Write_ShapeHistory_StatisticsOfTheLastWindow()
    {
        var pod = Jobs.Pod("a");
        // 20 jobs: the first 4 (1000 s) fall out of the 16-job window; the last 16 alternate 10 s and 100 s, the latest 100 s.
        var runs = Enumerable.Repeat(1000.0, 4).Concat(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 10.0 : 100.0)).ToArray();
        var history = Jobs.History(pod, runs);
        var at = Jobs.T0.AddHours(runs.Length + 1);

        var sut = Write(pod, at, history);

        Assert.Equal(0f, Column(sut, "shape.missing"));
        Assert.Equal(1f, Column(sut, "shape.count"), 6);
        Assert.Equal((float)((Math.Log(10) + Math.Log(100)) / 2 / 10), Column(sut, "shape.median_log"), 6);
        Assert.Equal((float)((Math.Log(10) + Math.Log(100)) / 2 / 10), Column(sut, "shape.mean_log"), 6);
        Assert.Equal((float)(Math.Log(100) / 10), Column(sut, "shape.last_log"), 6);
        Assert.Equal((float)(Math.Log(1 + 3600) / 15), Column(sut, "shape.recency"), 5);
        Assert.Equal(0f, Column(sut, "class.missing"));
    }

    [Fact]
    public void Write_OtherShapeFinished_ShapeMissingClassAndRecentFromHistory()
    {
        var other = Jobs.Pod("other", cpuMilli: 16000);
        var history = Jobs.History(other, 50, 50, 50);

        var sut = Write(Jobs.Pod("a"), Jobs.T0.AddHours(5), history);

        Assert.Equal(1f, Column(sut, "shape.missing"));
        Assert.Equal(0f, Column(sut, "class.missing"));
        Assert.Equal((float)(Math.Log(50) / 10), Column(sut, "class.median_log"), 6);
        Assert.Equal((float)(Math.Log(50) / 10), Column(sut, "recent.median_log"), 6);
        Assert.Equal((float)(Math.Log(50) / 10), Column(sut, "shape.median_log"), 6);
    }

    [Fact]
    public void Write_MondaySixUtc_HourAndWeekFromSubmission()
    {
        var monday6 = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.FromHours(2));

        var sut = Write(Jobs.Pod("a"), monday6, new JobHistory());

        Assert.Equal(1f, Column(sut, "time.hour_sin"), 5);
        Assert.Equal(0f, Column(sut, "time.hour_cos"), 5);
        var week = 0.25 / 7;
        Assert.Equal((float)Math.Sin(2 * Math.PI * week), Column(sut, "time.week_sin"), 5);
        Assert.Equal((float)Math.Cos(2 * Math.PI * week), Column(sut, "time.week_cos"), 5);
    }

    [Theory]
    [InlineData("LS", "job.qos_guaranteed")]
    [InlineData("Guaranteed", "job.qos_guaranteed")]
    [InlineData("Burstable", "job.qos_burstable")]
    [InlineData("BE", "job.qos_best_effort")]
    [InlineData("BestEffort", "job.qos_best_effort")]
    public void Write_QosClass_OneHotKubernetesEquivalent(string qos, string column)
    {
        var sut = Write(Jobs.Pod("a", qos: qos), Jobs.T0, new JobHistory());

        Assert.Equal(1f, Column(sut, column));
        Assert.Equal(1f, Column(sut, "job.qos_guaranteed") + Column(sut, "job.qos_burstable") + Column(sut, "job.qos_best_effort"));
    }
}
