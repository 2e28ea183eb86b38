using Lepton.Operator.Crds;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Tests.Crds;

public class CrdYamlTests
{
    [Theory]
    [InlineData("True")]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("y")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("-1.5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("012")]
    [InlineData("1:30")]
    [InlineData(".inf")]
    [InlineData("2024-01-02")]
    [InlineData(" padded")]
    public void Str_ValueAYamlReaderWouldRetype_IsDoubleQuoted(string value)
    {
        var sut = CrdYaml.Str(value);

        Assert.Equal(ScalarStyle.DoubleQuoted, sut.Style);
        Assert.Equal(value, RoundTrip(sut));
    }

    [Theory]
    [InlineData("Training")]
    [InlineData("lepton.ai")]
    [InlineData("Unknown")]
    [InlineData("4x460m")]
    [InlineData("1h30m")]
    [InlineData("v1alpha1")]
    public void Str_OrdinaryString_IsNotForcedToQuotes(string value)
    {
        var sut = CrdYaml.Str(value);

        Assert.Equal(ScalarStyle.Any, sut.Style);
        Assert.Equal(value, RoundTrip(sut));
    }

    [Theory]
    [InlineData("!has(self.minAvailable) || self.minAvailable <= self.replicas")]
    [InlineData("duration(self) > duration('0s')")]
    [InlineData("key: value # not a comment")]
    [InlineData("line one\n\nline two")]
    [InlineData(@"^(fpga\.intel\.com/|xilinx\.com/fpga-)[A-Za-z0-9]$")]
    public void Write_SpecialCharacters_ReadBackUnchanged(string value)
    {
        Assert.Equal(value, RoundTrip(CrdYaml.Str(value)));
    }

    [Fact]
    public void Write_NumbersAndBooleans_ArePlain()
    {
        var root = new YamlMappingNode { { "n", CrdYaml.Int(42) }, { "b", CrdYaml.Bool(true) } };

        Assert.Equal("n: 42\nb: true\n", CrdYaml.Write(root));
    }

    [Fact]
    public void Write_HeaderComments_PrecedeTheDocument()
    {
        var yaml = CrdYaml.Write(new YamlMappingNode { { "a", CrdYaml.Str("b") } }, ["first", "second"]);

        Assert.Equal("# first\n# second\na: b\n", yaml);
    }

    private static string RoundTrip(YamlScalarNode scalar)
    {
        var yaml = CrdYaml.Write(new YamlMappingNode { { "key", scalar } });
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var node = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("key")];
        return node.Value!;
    }
}
