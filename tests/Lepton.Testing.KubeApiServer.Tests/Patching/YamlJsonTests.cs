using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Patching;

namespace Lepton.Testing.KubeApiServer.Tests.Patching;

public sealed class YamlJsonTests
{
    [Fact]
    public void ParseObject_Scalars_FollowYaml12CoreSchema()
    {
        var result = YamlJson.ParseObject("""
            int: 3
            negative: -4
            float: 1.5
            bool: true
            null1: ~
            null2:
            quoted: "3"
            version: v1.2
            list: [a, 2]
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"int":3,"negative":-4,"float":1.5,"bool":true,"null1":null,"null2":null,"quoted":"3","version":"v1.2","list":["a",2]}
            """), result), result.ToJsonString());
    }

    [Fact]
    public void ParseDocuments_MultiDocument_SkipsEmptyDocuments()
    {
        var documents = YamlJson.ParseDocuments("a: 1\n---\n---\nb: 2\n");

        Assert.Equal(2, documents.Count);
    }
}
