using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Tables;

namespace Lepton.Testing.KubeApiServer.Tests.Tables;

public sealed class SimpleJsonPathTests
{
    private static readonly JsonNode Job = JsonNode.Parse("""
        {"metadata":{"labels":{"app.kubernetes.io/name":"lepton"}},
         "spec":{"replicas":3,"workers":[{"name":"a","gpus":2},{"name":"b","gpus":4}]},
         "status":{"conditions":[{"type":"Scheduled","status":"True"},{"type":"Ready","status":"False"}]}}
        """)!;

    [Theory]
    [InlineData(".spec.replicas", "3")]
    [InlineData("{.spec.replicas}", "3")]
    [InlineData(".spec.workers[1].name", "\"b\"")]
    [InlineData(".spec.workers[-1].gpus", "4")]
    [InlineData(".spec.workers[*].name", "\"a\",\"b\"")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"False\"")]
    [InlineData(".status.conditions[?(@.type!=\"Ready\")].type", "\"Scheduled\"")]
    [InlineData(".metadata.labels.app\\.kubernetes\\.io/name", "\"lepton\"")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "\"lepton\"")]
    [InlineData(".status.missing", "")]
    public void Evaluate_PrinterColumnPaths_SelectValues(string path, string expected)
    {
        var sut = SimpleJsonPath.Parse(path);

        var results = sut.Evaluate(Job);

        Assert.Equal(expected, string.Join(',', results.Select(r => r.ToJsonString())));
    }
}
