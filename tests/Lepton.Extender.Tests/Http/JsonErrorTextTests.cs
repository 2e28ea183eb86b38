using System.Text.Json;
using Lepton.Extender.Http;
using Lepton.Kubernetes.Wire;

namespace Lepton.Extender.Tests.Http;

/// <summary>Issue 12: 400 reasons name JSON fields and expected types in the protocol's words, never .NET type names.</summary>
public sealed class JsonErrorTextTests
{
    private static readonly ExtenderJsonContext Json = ExtenderJsonContext.CreateInterning();

    [Theory]
    [InlineData("{\"NodeNames\":5}", "NodeNames: expected an array of strings or null")]
    [InlineData("{\"NodeNames\":[\"a\",5]}", "NodeNames[1]: expected a string")]
    [InlineData("{\"Nodes\":[]}", "Nodes: expected a NodeList object or null")]
    [InlineData("{\"Nodes\":{\"items\":[5]}}", "Nodes.items[0]: expected a Node object")]
    public void Describe_ExtenderArgs_SaysFieldAndType(string body, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, Json.ExtenderArgs));

        var sut = JsonErrorText.Describe(e);

        Assert.Contains(expected, sut, StringComparison.Ordinal);
        AssertProtocolWords(sut);
    }

    [Theory]
    [InlineData("{\"NodeNameToMetaVictims\":[]}", "NodeNameToMetaVictims: expected an object")]
    [InlineData("{\"NodeNameToMetaVictims\":{\"n1\":{\"Pods\":5}}}", ": expected an array of MetaPod objects")]
    [InlineData("{\"NodeNameToMetaVictims\":{\"n1\":{\"NumPDBViolations\":\"x\"}}}", ": expected an integer")]
    [InlineData("{\"NodeNameToVictims\":{\"n1\":{\"Pods\":5}}}", ": expected an array")]
    public void Describe_PreemptionArgs_SaysFieldAndType(string body, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, Json.ExtenderPreemptionArgs));

        var sut = JsonErrorText.Describe(e);

        Assert.Contains(expected, sut, StringComparison.Ordinal);
        AssertProtocolWords(sut);
    }

    [Theory]
    [InlineData("{\"PodName\":5}", "PodName: expected a string")]
    [InlineData("{\"PodUID\":[]}", "PodUID: expected a string")]
    [InlineData("{\"PodName\":\"p\",}", "invalid request JSON")]
    [InlineData("{\"PodName\" \"p\"}", "invalid request JSON")]
    public void Describe_BindingArgs_SaysFieldAndType(string body, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, Json.ExtenderBindingArgs));

        var sut = JsonErrorText.Describe(e);

        Assert.Contains(expected, sut, StringComparison.Ordinal);
        AssertProtocolWords(sut);
    }

    [Fact]
    public void Describe_HugeKeyInThePath_Bounded()
    {
        var key = new string('k', 1_000_000);
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize("{\"NodeNameToMetaVictims\":{\"" + key + "\":{\"Pods\":5}}}", Json.ExtenderPreemptionArgs));

        var sut = JsonErrorText.Describe(e);

        Assert.True(sut.Length <= JsonErrorText.MaxLength, sut.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void AssertProtocolWords(string text)
    {
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Lepton.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
    }
}
