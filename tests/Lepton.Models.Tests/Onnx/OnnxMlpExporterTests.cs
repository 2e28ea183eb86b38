using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Onnx;
using Lepton.Models.Tests.Testing;

namespace Lepton.Models.Tests.Onnx;

public class OnnxMlpExporterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Export_RandomNetwork_OnnxRuntimeMatchesManagedWithin1e4(int seed)
    {
        var net = TestCluster.RandomNetwork(seed);
        var model = OnnxMlpExporter.Export(net, ModelSchema.Policy);
        using var sut = OnnxModelSession.Create(Google.Protobuf.MessageExtensions.ToByteArray(model), ModelSchema.Policy, ExecutionProviderOption.Cpu);
        const int rows = 257;
        var x = TestCluster.RandomFeatures(rows, seed + 100);
        var ort = new float[rows];
        var managed = new float[rows];

        sut.Run(x, rows, ort);
        net.Forward(x, rows, managed);

        for (var i = 0; i < rows; i++)
        {
            Assert.True(Math.Abs(ort[i] - managed[i]) <= 1e-4f * Math.Max(1f, Math.Abs(managed[i])), $"row {i}: ORT {ort[i]}, managed {managed[i]}");
        }
    }

    [Fact]
    public void Import_ExportedNetwork_SameWeights()
    {
        var net = TestCluster.RandomNetwork(9);

        var sut = OnnxMlpExporter.Import(OnnxMlpExporter.Export(net, ModelSchema.Policy));

        Assert.Equal(net.InputMean, sut.InputMean);
        Assert.Equal(net.InputScale, sut.InputScale);
        Assert.Equal(net.Skip, sut.Skip);
        for (var l = 0; l < net.Layers.Length; l++)
        {
            Assert.Equal(net.Layers[l].Weights, sut.Layers[l].Weights);
            Assert.Equal(net.Layers[l].Bias, sut.Layers[l].Bias);
        }
    }

    [Fact]
    public void Export_Metadata_CarriesSchemaNamesAndExtras()
    {
        var sut = OnnxMlpExporter.Export(TestCluster.FgdNetwork(), ModelSchema.Policy, new Dictionary<string, string> { [BundleMetadata.Metrics] = "x=1" });

        var props = sut.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(FeatureSchema.Version, props[BundleMetadata.Schema]);
        Assert.Equal(FeatureSchema.JoinedNames, props[BundleMetadata.FeatureNames]);
        Assert.Equal("policy", props[BundleMetadata.Kind]);
        Assert.Equal("x=1", props[BundleMetadata.Metrics]);
        Assert.True(sut.OpsetImport.Single().Version >= 17);
    }
}
