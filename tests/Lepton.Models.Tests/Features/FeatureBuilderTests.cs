using System.Globalization;
using Lepton.Models.Features;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Testing;

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
        var pod = new PodFeatures(Make.Pod("x", 4000, 1, 500, qos: "LS"), TestCluster.Context());
        var a = new float[nodes.Length * FeatureSchema.Count];
        var b = new float[a.Length];
        var fa = new int[nodes.Length];
        var fb = new int[nodes.Length];

        FeatureBuilder.WriteBatch(pod, nodes, a, fa);
        var pod2 = new PodFeatures(Make.Pod("x", 4000, 1, 500, qos: "LS"), TestCluster.Context());
        FeatureBuilder.WriteBatch(pod2, nodes, b, fb);

        Assert.Equal(a, b);
        Assert.Equal(fa, fb);
        Assert.All(a, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(2, 4000, 1, 500)]
    [InlineData(16, 16000, 2, 1000)]
    [InlineData(2, 2000, 0, 0)]
    public void WriteBatch_LargeBatchOnSeveralCores_SameBitsAsSequential(int cores, long cpu, int count, int milli)
    {
        // Above BatchPartition.MinParallelNodes the rows are written in parts on several cores.
        var nodes = TestCluster.Nodes(Lepton.Scheduling.Scoring.BatchPartition.MinParallelNodes + 611, seed: 13);
        var demand = Make.Pod("x", cpu, count, milli, qos: "LS");
        var sequential = new float[nodes.Length * FeatureSchema.Count];
        var parallel = new float[sequential.Length + 7];
        var fs = new int[nodes.Length];
        var fp = new int[nodes.Length];

        FeatureBuilder.WriteBatch(new PodFeatures(demand, TestCluster.Context()), nodes, sequential, fs);
        FeatureBuilder.WriteBatch(new PodFeatures(demand, TestCluster.Context()), nodes, parallel, fp, cores);

        Assert.Equal(sequential, parallel.AsSpan(0, sequential.Length).ToArray());
        Assert.Equal(fs, fp);
        // The rows differ from node to node (what could go wrong in a part is visible).
        Assert.True(Enumerable.Range(0, nodes.Length).Select(i => sequential[(i * FeatureSchema.Count) + 13]).Distinct().Count() > 5);
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
        var demand = Make.Pod("x", cpu, count, milli, qos: "LS");
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

    // Rows recorded (IEEE-754 bits) from the feature builder before FGD's score moved to FgdScorer:
    // the refactor must not change a single feature. The fragmentation values of TestCluster's
    // typical tasks are exact binary fractions, so these bits do not depend on SIMD width.
    [Theory]
    [InlineData("a", 4000, 1, 500, "LS", "n0004", 57, 0, "3d000000 3a800000 3f000000 3e000000 3d800000 3f800000 00000000 00000000 3f800000 00000000 00000000 00000000 3f800000 3f700000 3f600000 3f800000 3f000000 3e000000 3f700000 3f7f0000 3f340000 3f980000 3e222222 3ea00000 3f11eb85 3f600000 00000000 3f2c0000 00000000 3f460000 3d250000 3f800000")]
    [InlineData("c", 2000, 0, 0, "BE", "n0002", 50, -1, "3c800000 3a800000 00000000 00000000 00000000 00000000 3f800000 00000000 00000000 00000000 3f800000 00000000 3e000000 00000000 00000000 00000000 00000000 00000000 3f62aaab 3f7e8000 3f2a0000 00000000 00000000 00000000 3f000000 00000000 00000000 3f260000 00000000 3ea60000 3baa0000 00000000")]
    [InlineData("d", 16000, 2, 1000, "LS", "n0028", 53, -1, "3e000000 3a800000 3f800000 3e800000 3e800000 00000000 00000000 00000000 3f800000 00000000 00000000 00000000 3f800000 3ee00000 3ec00000 3f800000 00000000 3e000000 3f200000 3f7e0000 3ef00000 3f300000 3e492492 3e000000 3f07ae14 3f100000 3e000000 3eb00000 00000000 3e880000 3dac0000 00000000")]
    [InlineData("e", 3000, 1, 250, "LS", "n0020", 40, 0, "3cc00000 3a800000 3e800000 3e000000 3d000000 3f800000 00000000 00000000 3f800000 00000000 00000000 00000000 3e800000 3e800000 3e800000 3f800000 3f800000 00000000 3f800000 3f800000 3f400000 3e800000 3e000000 bec00000 3ecccccd 3f200000 3f400000 3f3a0000 00000000 3ef20000 3c500000 00000000")]
    [InlineData("y", 1000, 1, 100, "LS", "n0004", 49, 0, "3c000000 3a800000 3dcccccd 3e000000 3c4ccccd 3f800000 00000000 00000000 3f800000 00000000 00000000 00000000 3f800000 3f700000 3f600000 3f800000 3f000000 3e000000 3f700000 3f7f0000 3f340000 3f980000 3e222222 bd19999a 3efae148 3f9ccccd 3ecccccd 3f320000 00000000 3f4f6666 3c0d0000 3f800000")]
    public void WriteRow_RecordedRows_SameBits(string name, long cpu, int count, int milli, string qos, string nodeName, int fgdScore, int shareCard, string bits)
    {
        var pod = new PodFeatures(Make.Pod(name, cpu, count, milli, qos: qos), TestCluster.Context());
        var node = TestCluster.Nodes(400, seed: 11).Single(n => n.Inventory.Name == nodeName);
        var row = new float[FeatureSchema.Count];

        var sut = FeatureBuilder.WriteRow(pod, node, row);

        Assert.Equal(new PairInfo(fgdScore, shareCard), sut);
        Assert.Equal(bits, string.Join(' ', row.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(16000, 2, 1000)]
    [InlineData(2000, 0, 0)]
    public void WriteRow_FgdScorerCachedTheNodeFirst_SameRow(long cpu, int count, int milli)
    {
        var context = TestCluster.Context();
        var demand = Make.Pod("x", cpu, count, milli, qos: "LS");
        var cold = TestCluster.Nodes(60, seed: 5);
        var warm = TestCluster.Nodes(60, seed: 5);
        var fgd = new FgdScorer();
        var warmScores = new int[warm.Length];
        fgd.Score(fgd.PreScore(demand, context), warm, warmScores);
        var a = new float[cold.Length * FeatureSchema.Count];
        var b = new float[a.Length];
        var fa = new int[cold.Length];
        var fb = new int[cold.Length];

        FeatureBuilder.WriteBatch(new PodFeatures(demand, context), cold, a, fa);
        FeatureBuilder.WriteBatch(new PodFeatures(demand, context), warm, b, fb);

        Assert.Equal(a, b);
        Assert.Equal(fa, fb);
        Assert.Equal(warmScores, fb);
    }

    [Fact]
    public void WritePod_QosAndShape_OneHotAndFlags()
    {
        var row = new float[FeatureSchema.PodCount];

        FeatureBuilder.WritePod(Make.Pod("s", 4000, 1, 460, qos: "Burstable", models: ["T4", "V100M32"]), Lepton.Scheduling.Scoring.ClusterScale.OpenB, Math.Log(600), row);

        Assert.Equal(0.46f, row[2], 5);
        Assert.Equal(1f, row[5]);
        Assert.Equal(0f, row[6]);
        Assert.Equal(2f, row[7]);
        Assert.Equal([0f, 1f, 0f], row[8..11]);
        Assert.Equal((float)(Math.Log(600) / 10), row[11], 5);
    }
}
