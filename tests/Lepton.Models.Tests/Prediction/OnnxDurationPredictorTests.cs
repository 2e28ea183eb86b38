using System.Globalization;
using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Prediction;
using Lepton.Models.Tests.Testing;
using Lepton.Models.Training;
using Lepton.Scheduling.Prediction;
using Lepton.Simulator.Workloads;
using Lepton.Testing;

namespace Lepton.Models.Tests.Prediction;

public class OnnxDurationPredictorTests
{
    private static Mlp Network()
    {
        var net = new Mlp(PredictorFeatures.Count, 8, PredictorQuantiles.Count);
        net.Initialize(7);
        net.Layers[^1].Bias[0] = 4f;
        net.Layers[^1].Bias[1] = 6f;
        net.Layers[^1].Bias[2] = 8f;
        return net;
    }

    [Fact]
    public void TryPredict_ShippedModel_FinitePositiveSecondsWithItsVersion()
    {
        var path = RepoPaths.Combine("models", "predictor.onnx");
        using var sut = OnnxDurationPredictor.Load(path);
        var pod = Jobs.Pod("a");
        var history = Jobs.History(pod, 120, 300, 240);

        Assert.True(sut.IsLoaded, sut.FailureMessage);
        Assert.True(sut.TryPredict(pod, Jobs.T0.AddDays(1), history, out var withHistory));
        Assert.True(sut.TryPredict(Jobs.Pod("b", gpus: 8), Jobs.T0, new JobHistory(), out var withoutHistory));

        foreach (var p in new[] { withHistory, withoutHistory })
        {
            Assert.True(double.IsFinite(p.Seconds) && p.Seconds > 0, $"{p.Seconds}");
            Assert.Equal(DurationSource.Predicted, p.Source);
            Assert.Equal(OnnxDurationPredictor.VersionOf(File.ReadAllBytes(path)), p.Version);
        }

        Assert.Equal("predictor", sut.Metadata[BundleMetadata.Kind]);
        Assert.Equal(PredictorFeatures.Version, sut.Metadata[BundleMetadata.Schema]);
        Assert.Equal(PredictorQuantiles.Description, sut.Metadata[BundleMetadata.Output]);
        Assert.True(long.TryParse(sut.Metadata[BundleMetadata.TrainingCut], out _));
    }

    [Fact]
    public void TryPredict_ShippedModel_LongerShapeHistoryPredictsLonger()
    {
        using var sut = OnnxDurationPredictor.Load(RepoPaths.Combine("models", "predictor.onnx"));
        var pod = Jobs.Pod("a");
        var at = Jobs.T0.AddDays(1);

        Assert.True(sut.TryPredict(pod, at, Jobs.History(pod, 30, 40, 50, 60), out var shortOnes));
        Assert.True(sut.TryPredict(pod, at, Jobs.History(pod, 30000, 40000, 50000, 60000), out var longOnes));

        Assert.True(longOnes.Seconds > shortOnes.Seconds, $"{longOnes.Seconds} vs {shortOnes.Seconds}");
    }

    [SkippableFact]
    public void TryPredict_ShippedModelReplayingDefaultList_RanksAsTheBundleSaysAndBetterThanClassMedian()
    {
        Skip.If(RepoPaths.OpenbTraces is null, RepoPaths.OpenbSkipMessage);
        using var sut = OnnxDurationPredictor.Load(RepoPaths.Combine("models", "predictor.onnx"));
        var cut = long.Parse(sut.Metadata[BundleMetadata.TrainingCut], CultureInfo.InvariantCulture);
        var metrics = sut.Metadata[BundleMetadata.Metrics].Split('\n').Select(l => l.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        var pods = PredictorReplay.WithLifetimes(OpenbCsv.ReadPods(Path.Combine(RepoPaths.OpenbTraces!, "openb_pod_list_default.csv")));
        var predicted = new List<double>();
        var actual = new List<double>();

        PredictorReplay.Run(pods, (_, pod, history) =>
        {
            if (pod.CreatedAtSeconds >= cut)
            {
                Assert.True(sut.TryPredict(pod.Pod, PredictorReplay.SubmittedAt(pod), history, out var p));
                predicted.Add(Math.Log(p.Seconds));
                actual.Add(PredictorReplay.LogLifetime(pod));
            }
        });

        var spearman = RankCorrelation.Spearman(predicted, actual);
        Assert.Equal(metrics["default.heldout_pods"], predicted.Count);
        Assert.Equal(metrics["default.model.spearman"], spearman, 0.002);
        Assert.True(spearman > metrics["default.baseline_shape_median.spearman"], $"served {spearman}, class median {metrics["default.baseline_shape_median.spearman"]}");
    }

    [Fact]
    public void TryPredict_MissingFile_FalseWithReason()
    {
        using var temp = new TempDirectory();

        using var sut = OnnxDurationPredictor.Load(Path.Combine(temp.Path, "absent.onnx"));

        Assert.False(sut.IsLoaded);
        Assert.Equal(FallbackReason.Missing, sut.Failure);
        Assert.False(sut.TryPredict(Jobs.Pod("a"), Jobs.T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_TruncatedFile_FalseWithLoadError()
    {
        using var temp = new TempDirectory();
        var good = File.ReadAllBytes(TestCluster.Save(Network(), temp.Path, "p.onnx", ModelSchema.Predictor));
        var path = Path.Combine(temp.Path, "truncated.onnx");
        File.WriteAllBytes(path, good[..(good.Length / 2)]);

        using var sut = OnnxDurationPredictor.Load(path);

        Assert.Equal(FallbackReason.LoadError, sut.Failure);
        Assert.False(sut.TryPredict(Jobs.Pod("a"), Jobs.T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_PolicyBundle_FalseWithSchemaMismatch()
    {
        using var temp = new TempDirectory();

        using var sut = OnnxDurationPredictor.Load(TestCluster.Save(TestCluster.FgdNetwork(), temp.Path));

        Assert.Equal(FallbackReason.SchemaMismatch, sut.Failure);
        Assert.Contains("Model refused", sut.FailureMessage, StringComparison.Ordinal);
        Assert.False(sut.TryPredict(Jobs.Pod("a"), Jobs.T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_NaNOutput_False()
    {
        using var temp = new TempDirectory();
        var net = Network();
        net.Layers[^1].Bias[PredictorQuantiles.MedianIndex] = float.NaN;

        using var sut = OnnxDurationPredictor.Load(TestCluster.Save(net, temp.Path, "p.onnx", ModelSchema.Predictor));

        Assert.True(sut.IsLoaded, sut.FailureMessage);
        Assert.False(sut.TryPredict(Jobs.Pod("a"), Jobs.T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_SameNetwork_OnnxRuntimeMatchesManagedForward()
    {
        using var temp = new TempDirectory();
        var net = Network();
        using var sut = OnnxDurationPredictor.Load(TestCluster.Save(net, temp.Path, "p.onnx", ModelSchema.Predictor));
        var managed = new MlpDurationPredictor(net, "managed");
        var pod = Jobs.Pod("a", cpuMilli: 12000, milli: 500);
        var history = Jobs.History(pod, 100, 2000, 30);

        Assert.True(sut.TryPredict(pod, Jobs.T0.AddDays(2), history, out var viaOnnx));
        Assert.True(managed.TryPredict(pod, Jobs.T0.AddDays(2), history, out var viaManaged));

        Assert.Equal(Math.Log(viaManaged.Seconds), Math.Log(viaOnnx.Seconds), 4);
        Assert.StartsWith("predictor@", viaOnnx.Version, StringComparison.Ordinal);
        Assert.Equal("managed", viaManaged.Version);
    }
}
