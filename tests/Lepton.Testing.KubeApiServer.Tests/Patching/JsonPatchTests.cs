using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Patching;

namespace Lepton.Testing.KubeApiServer.Tests.Patching;

public sealed class JsonPatchTests
{
    private static JsonObject Document() => (JsonObject)JsonNode.Parse("""
        {"metadata":{"labels":{"a/b":"1"}},"spec":{"gates":[{"name":"x"},{"name":"y"}]}}
        """)!;

    [Theory]
    [InlineData("""[{"op":"add","path":"/spec/gates/-","value":{"name":"z"}}]""", "/spec/gates", """[{"name":"x"},{"name":"y"},{"name":"z"}]""")]
    [InlineData("""[{"op":"add","path":"/spec/gates/0","value":{"name":"w"}}]""", "/spec/gates", """[{"name":"w"},{"name":"x"},{"name":"y"}]""")]
    [InlineData("""[{"op":"remove","path":"/spec/gates/0"}]""", "/spec/gates", """[{"name":"y"}]""")]
    [InlineData("""[{"op":"replace","path":"/metadata/labels/a~1b","value":"2"}]""", "/metadata/labels", """{"a/b":"2"}""")]
    [InlineData("""[{"op":"move","from":"/metadata/labels","path":"/metadata/annotations"}]""", "/metadata", """{"annotations":{"a/b":"1"}}""")]
    [InlineData("""[{"op":"copy","from":"/spec/gates/1","path":"/spec/first"}]""", "/spec/first", """{"name":"y"}""")]
    [InlineData("""[{"op":"test","path":"/spec/gates/0/name","value":"x"},{"op":"remove","path":"/spec/gates"}]""", "/spec", "{}")]
    public void Apply_Operation_ProducesRfc6902Result(string patch, string pointer, string expected)
    {
        var result = JsonPatch.Apply(Document(), (JsonArray)JsonNode.Parse(patch)!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Resolve(result, pointer)), Resolve(result, pointer)?.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/spec/gates/0/name","value":"nope"}]""")]
    [InlineData("""[{"op":"remove","path":"/spec/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/nope/x","value":1}]""")]
    [InlineData("""[{"op":"frobnicate","path":"/spec"}]""")]
    public void Apply_FailingOperation_ThrowsInvalid(string patch)
    {
        var error = Assert.Throws<KubeApiException>(() => JsonPatch.Apply(Document(), (JsonArray)JsonNode.Parse(patch)!));

        Assert.Equal(422, error.Code);
    }

    private static JsonNode? Resolve(JsonNode node, string pointer)
    {
        foreach (var token in pointer.Trim('/').Split('/'))
        {
            node = node is JsonArray array ? array[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]! : node[token]!;
        }

        return node;
    }
}
