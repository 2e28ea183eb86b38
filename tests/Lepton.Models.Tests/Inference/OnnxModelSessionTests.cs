using Lepton.Models.Inference;
using Lepton.Models.Onnx;
using Lepton.Models.Tests.Testing;
using Lepton.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Lepton.Models.Tests.Inference;

public class OnnxModelSessionTests
{
    [Fact]
    public void Create_AnyProvider_NativeLoggerOnlySpeaksAtFatal()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(TestCluster.Save(TestCluster.FgdNetwork(), dir.Path));

        using var sut = OnnxModelSession.Create(bytes, ModelSchema.Policy, ExecutionProviderOption.Auto);

        // Without CUDA's libraries ONNX Runtime would print its provider-bridge error (libcublasLt.so.13: cannot open
        // shared object file) at Error level on stderr; the fallback is reported once through ILogger instead.
        Assert.Equal(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, OrtEnv.Instance().EnvLogLevel);
        Assert.Contains(sut.Provider, new[] { "cpu", "cuda" });
    }
}
