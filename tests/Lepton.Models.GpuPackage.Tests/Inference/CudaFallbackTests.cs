using Google.Protobuf;
using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;

namespace Lepton.Models.GpuPackage.Tests.Inference;

/// <summary>
/// With the production GPU package of ONNX Runtime on a machine without CUDA (CI, developers),
/// <c>auto</c> must run on the CPU and say so; <c>cuda</c> must refuse and let scoring fall back.
/// On a CUDA machine the first test sees <c>cuda</c> instead, which it accepts.
/// </summary>
public class CudaFallbackTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lepton-gpu-" + Guid.NewGuid().ToString("N"));

    public CudaFallbackTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string SaveModel()
    {
        var net = new Mlp(FeatureSchema.Count, 4, 1);
        net.Skip = new float[FeatureSchema.Count];
        net.Skip[FeatureSchema.FgdScore] = 100f;
        var path = Path.Combine(_dir, "policy.onnx");
        File.WriteAllBytes(path, OnnxMlpExporter.Export(net, ModelSchema.Policy).ToByteArray());
        return path;
    }

    private static bool CudaPresent => Environment.GetEnvironmentVariable("LEPTON_EXPECT_CUDA") == "1";

    [Fact]
    public void Create_AutoWithoutCuda_RunsOnCpuAndGaugeSaysCpu()
    {
        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        using var sut = new ScoringModelHost(SaveModel(), ModelSchema.Policy, ExecutionProviderOption.Auto, metrics);
        var x = new float[3 * FeatureSchema.Count];
        x[FeatureSchema.FgdScore] = 0.42f;
        var y = new float[3];

        var reason = sut.Run(x, 3, y);

        Assert.True(reason == FallbackReason.None, sut.StatusMessage);
        var expected = CudaPresent ? "cuda" : "cpu";
        Assert.Equal(expected, sut.Provider);
        Assert.Equal(1, metrics.ProviderValue(expected));
        Assert.Equal(42f, y[0], 3);
    }

    [Fact]
    public void Create_CudaRequiredWithoutCuda_LoadErrorFallback()
    {
        if (CudaPresent)
        {
            return;
        }

        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        using var sut = new ScoringModelHost(SaveModel(), ModelSchema.Policy, ExecutionProviderOption.Cuda, metrics);

        var reason = sut.Run(new float[FeatureSchema.Count], 1, new float[1]);

        Assert.Equal(FallbackReason.LoadError, reason);
        Assert.True(sut.StatusMessage.Contains("CUDA", StringComparison.Ordinal), sut.StatusMessage);
        Assert.Equal(0, metrics.ProviderValue("cpu"));
    }
}
