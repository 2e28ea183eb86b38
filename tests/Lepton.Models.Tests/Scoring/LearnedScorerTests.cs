using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Scoring;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;

namespace Lepton.Models.Tests.Scoring;

public class LearnedScorerTests
{
    private static (NodeState[] Nodes, int[] Fgd, PreScoreState Pre, LearnedScorer Sut, ModelMetrics Metrics) Arrange(IScoringModel model, long cpu = 4000, int count = 1, int milli = 500)
    {
        var context = TestCluster.Context();
        var pod = TestCluster.Pod("x", cpu, count, milli);
        var nodes = TestCluster.Nodes(120, seed: 5).Where(n => FitChecker.Check(pod, n) == FitCode.Fits).ToArray();
        var fgd = new FgdScorer();
        var expected = new int[nodes.Length];
        fgd.Score(fgd.PreScore(pod, context), nodes, expected);
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        return (nodes, expected, sut.PreScore(pod, context), sut, metrics);
    }

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(8000, 1, 1000)]
    [InlineData(16000, 2, 1000)]
    [InlineData(2000, 0, 0)]
    public void Score_SkipOnlyNetwork_EqualsFgdExactly(long cpu, int count, int milli)
    {
        var (nodes, fgd, pre, sut, metrics) = Arrange(new MlpScoringModel(TestCluster.FgdNetwork()), cpu, count, milli);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(0, sut.Fallbacks);
        Assert.Equal(0, metrics.FallbackCount(FallbackReason.Nan));
    }

    [Fact]
    public void Score_MissingModel_FgdScoresAndMissingCounted()
    {
        using var dir = new TempDirectory();
        using var host = new ScoringModelHost(Path.Combine(dir.Path, "none.onnx"), ModelSchema.Policy, ExecutionProviderOption.Cpu);
        var (nodes, fgd, pre, sut, metrics) = Arrange(host);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(1, metrics.FallbackCount(FallbackReason.Missing));
    }

    [Fact]
    public void Score_NanModel_FgdScoresAndNanCounted()
    {
        var net = TestCluster.FgdNetwork();
        net.Layers[^1].Bias[0] = float.NaN;
        var (nodes, fgd, pre, sut, metrics) = Arrange(new MlpScoringModel(net));
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(1, metrics.FallbackCount(FallbackReason.Nan));
    }

    [Fact]
    public void Score_NanModelInOnnx_FgdScoresAndNanCounted()
    {
        using var dir = new TempDirectory();
        var net = TestCluster.FgdNetwork();
        net.Layers[^1].Bias[0] = float.NaN;
        using var host = new ScoringModelHost(TestCluster.Save(net, dir.Path), ModelSchema.Policy, ExecutionProviderOption.Cpu);
        var (nodes, fgd, pre, sut, metrics) = Arrange(host);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.True(host.IsLoaded);
        Assert.Equal(fgd, scores);
        Assert.Equal(1, metrics.FallbackCount(FallbackReason.Nan));
    }

    [Fact]
    public void Score_ThrowingModel_FgdScoresAndInferenceErrorCounted()
    {
        var (nodes, fgd, pre, sut, metrics) = Arrange(new ThrowingModel());
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(1, metrics.FallbackCount(FallbackReason.InferenceError));
    }

    [Fact]
    public void Score_OnnxModel_EqualsManagedModel()
    {
        using var dir = new TempDirectory();
        var net = TestCluster.RandomNetwork(4);
        for (var i = 0; i < net.Layers[^1].Weights.Length; i++)
        {
            net.Layers[^1].Weights[i] *= 3f;
        }

        using var host = new ScoringModelHost(TestCluster.Save(net, dir.Path), ModelSchema.Policy, ExecutionProviderOption.Cpu);
        var (nodes, _, pre, sut, _) = Arrange(host);
        var managed = new LearnedScorer(new MlpScoringModel(net));
        var a = new int[nodes.Length];
        var b = new int[nodes.Length];

        sut.Score(pre, nodes, a);
        managed.Score(pre, nodes, b);

        Assert.Equal(b, a);
        Assert.Equal(0, sut.Fallbacks);
    }

    [Theory]
    [InlineData(-5f, 0)]
    [InlineData(41.49f, 41)]
    [InlineData(41.51f, 42)]
    [InlineData(250f, 100)]
    public void ToScore_Outputs_RoundedAndClamped(float value, int expected) => Assert.Equal(expected, ScoreQuantizer.ToScore(value));

    [Fact]
    public void SelectCards_Share_SameCardAsFgd()
    {
        var (nodes, _, pre, sut, _) = Arrange(new MlpScoringModel(TestCluster.FgdNetwork()));
        var fgd = new FgdScorer();
        Span<int> a = stackalloc int[1];
        Span<int> b = stackalloc int[1];

        foreach (var node in nodes)
        {
            Assert.Equal(fgd.SelectCards(pre, node, b), sut.SelectCards(pre, node, a));
            Assert.Equal(b[0], a[0]);
        }
    }

    private sealed class ThrowingModel : IScoringModel
    {
        public ModelSchema Schema => ModelSchema.Policy;

        public string Provider => "test";

        public FallbackReason Run(float[] features, int rows, float[] scores) => throw new InvalidOperationException("boom");
    }
}
