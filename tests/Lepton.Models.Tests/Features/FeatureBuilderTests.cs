using Lepton.Models.Features;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Scoring.Fgd;

namespace Lepton.Models.Tests.Features;

public class FeatureBuilderTests
{
    [Fact]
    public void Names_MatchCount_Unique()
    {
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Length);
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Distinct().Count());
        Assert.Equal("pair.fgd_score", FeatureSchema.Names[FeatureSchema.FgdScore]);
        Assert.Equal("pair.fgd_delta", FeatureSchema.Names[FeatureSchema.FgdDelta]);
        Assert.Equal("pod.predicted_log_duration", FeatureSchema.Names[FeatureSchema.PredictedLogDuration]);
    }

    [Fact]
    public void WriteBatch_SameInputsTwice_SameBits()
    {
        var nodes = TestCluster.Nodes(50, seed: 3);
        var pod = new PodFeatures(TestCluster.Pod("x", 4000, 1, 500), TestCluster.Context());
        var a = new float[nodes.Length * FeatureSchema.Count];
        var b = new float[a.Length];
        var fa = new int[nodes.Length];
        var fb = new int[nodes.Length];

        FeatureBuilder.WriteBatch(pod, nodes, a, fa);
        var pod2 = new PodFeatures(TestCluster.Pod("x", 4000, 1, 500), TestCluster.Context());
        FeatureBuilder.WriteBatch(pod2, nodes, b, fb);

        Assert.Equal(a, b);
        Assert.Equal(fa, fb);
        Assert.All(a, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(3000, 1, 250)]
    [InlineData(8000, 1, 1000)]
    [InlineData(16000, 2, 1000)]
    [InlineData(2000, 0, 0)]
    [InlineData(6000, 1, 750)]
    public void WriteRow_AnyPod_FgdColumnsEqualFgdScorer(long cpu, int count, int milli)
    {
        var context = TestCluster.Context();
        var demand = TestCluster.Pod("x", cpu, count, milli);
        var pod = new PodFeatures(demand, context);
        var fgd = new FgdScorer();
        var pre = fgd.PreScore(demand, context);
        var row = new float[FeatureSchema.Count];
        Span<int> cards = stackalloc int[4];
        var checkedNodes = 0;
        foreach (var node in TestCluster.Nodes(200, seed: 7))
        {
            if (FitChecker.Check(demand, node) != FitCode.Fits)
            {
                continue;
            }

            var sut = FeatureBuilder.WriteRow(pod, node, row);

            Assert.Equal(fgd.ScoreOne(pre, node), sut.FgdScore);
            Assert.Equal(sut.FgdScore, (int)MathF.Round(row[FeatureSchema.FgdScore] * 100f));
            if (demand.IsSharing)
            {
                Assert.Equal(1, fgd.SelectCards(pre, node, cards));
                Assert.Equal(cards[0], sut.ShareCard);
            }

            checkedNodes++;
        }

        Assert.True(checkedNodes > 20);
    }

    [Fact]
    public void WritePod_QosAndShape_OneHotAndFlags()
    {
        var row = new float[FeatureSchema.PodCount];

        FeatureBuilder.WritePod(TestCluster.Pod("s", 4000, 1, 460, "Burstable", "T4", "V100M32"), Lepton.Scheduling.Scoring.ClusterScale.OpenB, Math.Log(600), row);

        Assert.Equal(0.46f, row[2], 5);
        Assert.Equal(1f, row[5]);
        Assert.Equal(0f, row[6]);
        Assert.Equal(2f, row[7]);
        Assert.Equal([0f, 1f, 0f], row[8..11]);
        Assert.Equal((float)(Math.Log(600) / 10), row[11], 5);
    }
}
