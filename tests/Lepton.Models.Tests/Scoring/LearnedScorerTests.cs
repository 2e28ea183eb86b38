using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Scoring;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.Extensions.Logging;

namespace Lepton.Models.Tests.Scoring;

public class LearnedScorerTests
{
    private static (NodeState[] Nodes, int[] Fgd, PreScoreState Pre, LearnedScorer Sut, ModelMetrics Metrics) Arrange(IScoringModel model, long cpu = 4000, int count = 1, int milli = 500, params string[] gpuModels)
    {
        var context = TestCluster.Context();
        var pod = Make.Pod("x", cpu, count, milli, qos: "LS", models: gpuModels);
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
    public void Score_LargeBatchOnSeveralCores_SameScoresAsInSmallBatches()
    {
        // 2,000 candidates and more have their feature rows written on several cores; the
        // scores must be those of batches too small to be split.
        var context = TestCluster.Context();
        var pod = Make.Pod("x", 4000, 1, 500, qos: "LS");
        var nodes = TestCluster.Nodes(6000, seed: 17).Where(n => FitChecker.Check(pod, n) == FitCode.Fits).ToArray();
        Assert.True(nodes.Length >= Lepton.Scheduling.Scoring.BatchPartition.MinParallelNodes, $"only {nodes.Length} nodes fit");
        var net = TestCluster.SpreadNetwork(4);
        var sut = new LearnedScorer(new MlpScoringModel(net));
        var pre = sut.PreScore(pod, context);
        var whole = new int[nodes.Length];
        var parts = new int[nodes.Length];

        sut.Score(pre, nodes, whole);
        for (var lo = 0; lo < nodes.Length; lo += 700)
        {
            var count = Math.Min(700, nodes.Length - lo);
            sut.Score(pre, nodes.AsSpan(lo, count), parts.AsSpan(lo, count));
        }

        Assert.Equal(parts, whole);
        Assert.True(whole.Distinct().Count() > 1, "the network scores every node alike");
        Assert.Equal(0, sut.Fallbacks);
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
    public void Score_NanModelInOnnx_RefusedAtLoadFgdScoresAndNanCounted()
    {
        using var dir = new TempDirectory();
        var net = TestCluster.FgdNetwork();
        net.Layers[^1].Bias[0] = float.NaN;
        using var host = new ScoringModelHost(TestCluster.Save(net, dir.Path), ModelSchema.Policy, ExecutionProviderOption.Cpu);
        var (nodes, fgd, pre, sut, metrics) = Arrange(host);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.False(host.IsLoaded); // the load-time probe refused it
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
        var net = TestCluster.SpreadNetwork(4);
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
    [InlineData(4000, 1, 500, "V100M32")]
    [InlineData(8000, 1, 1000, "T4")]
    [InlineData(16000, 2, 1000, "V100M32")]
    [InlineData(4000, 1, 250, "T4", "V100M32")]
    public void Score_GpuModelConstrainedPod_FgdScoresExactlyDeferredNotFallback(long cpu, int count, int milli, params string[] gpuModels)
    {
        // A model that is not FGD (FGD + 7): any score it produced would differ from FGD's.
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var (nodes, fgd, pre, sut, metrics) = Arrange(model, cpu, count, milli, gpuModels);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.NotEmpty(nodes);
        Assert.Equal(fgd, scores);
        Assert.Equal(DeferralReason.GpuModelConstraint, LearnedScorer.DeferralOf(pre.Pod));
        Assert.Equal(0, model.Runs);
        Assert.Equal(1, sut.Deferrals);
        Assert.Equal(1, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
        Assert.Equal(0, sut.Fallbacks);
        foreach (var reason in Enum.GetValues<FallbackReason>())
        {
            Assert.Equal(0, metrics.FallbackCount(reason));
        }
    }

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(8000, 1, 1000)]
    [InlineData(16000, 2, 1000)]
    [InlineData(2000, 0, 0)]
    public void Score_UnconstrainedPod_ModelScoresNotDeferred(long cpu, int count, int milli)
    {
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var (nodes, fgd, pre, sut, metrics) = Arrange(model, cpu, count, milli);
        var scores = new int[nodes.Length];

        sut.Score(pre, nodes, scores);

        Assert.Equal(fgd.Select(s => Math.Min(s + 7, 100)), scores);
        Assert.NotEqual(fgd, scores);
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOf(pre.Pod));
        Assert.Equal(1, model.Runs);
        Assert.Equal(0, sut.Deferrals);
        Assert.Equal(0, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
        Assert.Equal(0, sut.Fallbacks);
    }

    [Fact]
    public void Score_ConstrainedAndUnconstrainedPods_OnlyConstrainedDeferred()
    {
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var context = TestCluster.Context();
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        var nodes = TestCluster.Nodes(120, seed: 5);
        var free = Make.Pod("free", 4000, 1, 500, qos: "LS");
        var bound = Make.Pod("bound", 4000, 1, 500, qos: "LS", models: ["V100M32"]);
        var fits = nodes.Where(n => FitChecker.Check(bound, n) == FitCode.Fits).ToArray();
        var fgd = new FgdScorer();
        var expected = new int[fits.Length];
        fgd.Score(fgd.PreScore(bound, context), fits, expected);
        var a = new int[fits.Length];
        var b = new int[fits.Length];

        sut.Score(sut.PreScore(free, context), fits, a);
        sut.Score(sut.PreScore(bound, context), fits, b);

        Assert.Equal(expected.Select(s => Math.Min(s + 7, 100)), a);
        Assert.Equal(expected, b);
        Assert.Equal(1, model.Runs);
        Assert.Equal(1, sut.Deferrals);
        Assert.Equal(1, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
    }

    [Fact]
    public void DeferralReason_Labels() =>
        Assert.Equal(["none", "gpu_model_constraint", "workload_mix_out_of_distribution"], Enum.GetValues<DeferralReason>().Select(r => r.ToLabel()));

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(8000, 1, 1000)]
    [InlineData(16000, 2, 1000)]
    [InlineData(3000, 1, 250)]
    [InlineData(2000, 0, 0)]
    public void Score_MixWithConstrainedClass_UnconstrainedPodFgdScoresExactlyDeferredWithMixReason(long cpu, int count, int milli)
    {
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var context = MixContext(constrained: true);
        var pod = Make.Pod("free", cpu, count, milli, qos: "LS");
        var (nodes, fgd) = FgdScores(pod, context);
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        var scores = new int[nodes.Length];

        sut.Score(sut.PreScore(pod, context), nodes, scores);

        Assert.NotEmpty(nodes);
        Assert.Equal(fgd, scores);
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOf(pod));
        Assert.Equal(DeferralReason.WorkloadMixOutOfDistribution, LearnedScorer.DeferralOf(pod, context.Fragmentation));
        Assert.Equal(0, model.Runs);
        Assert.Equal(1, sut.Deferrals);
        Assert.Equal(1, metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution));
        Assert.Equal(0, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
        Assert.Equal(0, sut.Fallbacks);
        foreach (var reason in Enum.GetValues<FallbackReason>())
        {
            Assert.Equal(0, metrics.FallbackCount(reason));
        }
    }

    [Theory]
    [InlineData(4000, 1, 500)]
    [InlineData(8000, 1, 1000)]
    [InlineData(16000, 2, 1000)]
    [InlineData(3000, 1, 250)]
    [InlineData(2000, 0, 0)]
    public void Score_SameMixWithoutConstrainedClass_UnconstrainedPodModelScoresNotDeferred(long cpu, int count, int milli)
    {
        // The same classes as MixContext(true), none constraining the GPU model.
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var context = MixContext(constrained: false);
        var pod = Make.Pod("free", cpu, count, milli, qos: "LS");
        var (nodes, fgd) = FgdScores(pod, context);
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        var scores = new int[nodes.Length];

        sut.Score(sut.PreScore(pod, context), nodes, scores);

        Assert.NotEmpty(nodes);
        Assert.Equal(fgd.Select(s => Math.Min(s + 7, 100)), scores);
        Assert.NotEqual(fgd, scores);
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOf(pod, context.Fragmentation));
        Assert.Equal(1, model.Runs);
        Assert.Equal(0, sut.Deferrals);
        Assert.Equal(0, metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution));
        Assert.Equal(0, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
    }

    [Fact]
    public void Score_ConstrainedPodInConstrainedMix_CountedAsMixDeferral()
    {
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var context = MixContext(constrained: true);
        var pod = Make.Pod("bound", 4000, 1, 500, qos: "LS", models: ["V100M32"]);
        var (nodes, fgd) = FgdScores(pod, context);
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        var scores = new int[nodes.Length];

        sut.Score(sut.PreScore(pod, context), nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(DeferralReason.WorkloadMixOutOfDistribution, LearnedScorer.DeferralOf(pod, context.Fragmentation));
        Assert.Equal(0, model.Runs);
        Assert.Equal(1, metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution));
        Assert.Equal(0, metrics.DeferredCount(DeferralReason.GpuModelConstraint));
    }

    [Fact]
    public void Score_MixChangesBetweenPods_VerdictFollowsEachPodsMix()
    {
        // One scorer instance (as in the extender) while the live mix is rebuilt: the cached
        // verdict must follow the mix of each pod's context, in both directions.
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var logger = new ListLogger();
        var sut = new LearnedScorer(model, metrics, logger);
        var outOf = MixContext(constrained: true);
        var within = MixContext(constrained: false);
        var pod = Make.Pod("free", 4000, 1, 500, qos: "LS");
        var (nodes, fgdOutOf) = FgdScores(pod, outOf);
        var (_, fgdWithin) = FgdScores(pod, within);
        var scores = new int[nodes.Length];

        foreach (var (context, expected) in new[] { (within, fgdWithin.Select(s => Math.Min(s + 7, 100)).ToArray()), (outOf, fgdOutOf), (outOf, fgdOutOf), (within, fgdWithin.Select(s => Math.Min(s + 7, 100)).ToArray()), (outOf, fgdOutOf) })
        {
            sut.Score(sut.PreScore(pod, context), nodes, scores);
            Assert.Equal(expected, scores);
        }

        Assert.Equal(2, model.Runs);
        Assert.Equal(3, sut.Deferrals);
        Assert.Equal(3, metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution));

        // Logged once per change of verdict (off, on, off), not once per pod.
        Assert.Equal([4104, 4105, 4104], logger.EventIds);
    }

    [Fact]
    public void Score_PlainStateInConstrainedMix_DeferredToo()
    {
        // A pre-score state made by another scorer carries no verdict: Score judges it itself.
        var model = new CountingModel(new MlpScoringModel(TestCluster.FgdNetwork(offset: 7f)));
        var context = MixContext(constrained: true);
        var pod = Make.Pod("free", 8000, 1, 1000, qos: "LS");
        var (nodes, fgd) = FgdScores(pod, context);
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var sut = new LearnedScorer(model, metrics);
        var scores = new int[nodes.Length];

        sut.Score(new PreScoreState(pod, context), nodes, scores);

        Assert.Equal(fgd, scores);
        Assert.Equal(0, model.Runs);
        Assert.Equal(1, metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution));
    }

    [Fact]
    public void DeferralOfMix_ConstrainedClassOnlyWhenKeptInTheMix()
    {
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOfMix(FragmentationModel.Empty));
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOfMix(TestCluster.Context().Fragmentation));
        Assert.Equal(DeferralReason.WorkloadMixOutOfDistribution, LearnedScorer.DeferralOfMix(MixContext(constrained: true).Fragmentation));

        // One constrained pod among 100: below the 95% popularity threshold, not a class of the mix.
        var pods = Enumerable.Range(0, 99).Select(i => Make.Pod($"p{i}", 4000, 1, 500, qos: "LS"))
            .Append(Make.Pod("rare", 8000, 1, 1000, qos: "LS", models: ["T4"]));
        Assert.Equal(DeferralReason.None, LearnedScorer.DeferralOfMix(FragmentationModel.FromPods(pods, 0.95)));
        Assert.Equal(DeferralReason.WorkloadMixOutOfDistribution, LearnedScorer.DeferralOfMix(FragmentationModel.FromPods(pods, 1.0)));
    }

    // TestCluster's typical pods plus two classes of the same shapes that constrain the GPU model
    // (constrained) or do not (the same mix otherwise).
    private static ScoringContext MixContext(bool constrained)
    {
        string[] models = constrained ? ["V100M32"] : [];
        var pods = TestCluster.TypicalPods()
            .Append(Make.Pod("m1", 4000, 1, 500, qos: "LS", models: models))
            .Append(Make.Pod("m2", 8000, 1, 1000, qos: "LS", models: models))
            .Append(Make.Pod("m3", 8000, 1, 1000, qos: "LS", models: models));
        return new ScoringContext(FragmentationModel.FromPods(pods, 1.0), ClusterScale.OpenB, new Random(1));
    }

    private static (NodeState[] Nodes, int[] Fgd) FgdScores(PodDemand pod, ScoringContext context)
    {
        var nodes = TestCluster.Nodes(120, seed: 5).Where(n => FitChecker.Check(pod, n) == FitCode.Fits).ToArray();
        var fgd = new FgdScorer();
        var expected = new int[nodes.Length];
        fgd.Score(fgd.PreScore(pod, context), nodes, expected);
        return (nodes, expected);
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

    private sealed class CountingModel(IScoringModel inner) : IScoringModel
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public ModelSchema Schema => inner.Schema;

        public string Provider => inner.Provider;

        public FallbackReason Run(float[] features, int rows, float[] scores)
        {
            Interlocked.Increment(ref _runs);
            return inner.Run(features, rows, scores);
        }
    }

    private sealed class ListLogger : ILogger<LearnedScorer>
    {
        private readonly List<int> _ids = [];

        public int[] EventIds
        {
            get
            {
                lock (_ids)
                {
                    return [.. _ids];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_ids)
            {
                _ids.Add(eventId.Id);
            }
        }
    }

    private sealed class ThrowingModel : IScoringModel
    {
        public ModelSchema Schema => ModelSchema.Policy;

        public string Provider => "test";

        public FallbackReason Run(float[] features, int rows, float[] scores) => throw new InvalidOperationException("boom");
    }
}
