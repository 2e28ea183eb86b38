using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Patching;

namespace Lepton.Testing.KubeApiServer.Tests.Patching;

public sealed class JsonMergePatchTests
{
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", "{}")]
    [InlineData("""{"a":{"b":"c","d":"e"}}""", """{"a":{"d":null,"f":"g"}}""", """{"a":{"b":"c","f":"g"}}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[3]}""", """{"a":[3]}""")]
    [InlineData("""{"a":"b"}""", """{"a":{"c":"d"}}""", """{"a":{"c":"d"}}""")]
    public void Apply_Rfc7386Examples_Merge(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply((JsonObject)JsonNode.Parse(target)!, (JsonObject)JsonNode.Parse(patch)!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result.ToJsonString());
    }

    [Fact]
    public void Apply_StrategicDirectives_ReplaceDeleteAndDropOthers()
    {
        var target = (JsonObject)JsonNode.Parse("""{"spec":{"a":{"x":1,"y":2},"b":{"x":1},"c":1}}""")!;
        var patch = (JsonObject)JsonNode.Parse("""
            {"spec":{"a":{"$patch":"replace","z":3},"b":{"$patch":"delete"},"$setElementOrder/containers":[{"name":"x"}],"c":2}}
            """)!;

        var result = JsonMergePatch.Apply(target, patch, strategic: true);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec":{"a":{"z":3},"c":2}}"""), result), result.ToJsonString());
    }
}
