using System.Text;
using Lepton.Testing;

namespace Lepton.Kubernetes.Tests;

public class ClusterStateFileTests
{
    private static ClusterStateSnapshot Parse(string json) => ClusterStateFile.Parse(Encoding.UTF8.GetBytes(json), "state.json", new KubeObjectMapper());

    [Fact]
    public void Parse_KubectlList_SplitsNodesBoundAndPendingPods()
    {
        var snapshot = Parse("""
            {"apiVersion":"v1","kind":"List","items":[
              {"kind":"Node","apiVersion":"v1","metadata":{"name":"n1"},"status":{"allocatable":{"cpu":"8","memory":"32Gi","nvidia.com/gpu":"2"}}},
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"b","namespace":"x","uid":"1"},"spec":{"nodeName":"n1","containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]},"status":{"phase":"Running"}},
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"late","namespace":"x","uid":"2","creationTimestamp":"2026-01-02T00:00:00Z"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}},
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"early","namespace":"x","uid":"3","creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}},
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"done","namespace":"x","uid":"4"},"spec":{"nodeName":"n1","containers":[{"name":"c"}]},"status":{"phase":"Succeeded"}},
              {"kind":"Service","apiVersion":"v1","metadata":{"name":"s"}}]}
            """);

        Assert.Equal("n1", Assert.Single(snapshot.Nodes).Name);
        Assert.Equal(("b", "n1"), (Assert.Single(snapshot.BoundPods).Pod.Name, snapshot.BoundPods[0].NodeName));
        Assert.Equal(["early", "late"], snapshot.PendingPods.Select(p => p.Name));
        Assert.Equal(2, snapshot.SkippedItems);
    }

    [Theory]
    [InlineData("{", "state.json:1:2: not valid JSON")]
    [InlineData("[]", "expected a Kubernetes List")]
    [InlineData("""{"items":[{"metadata":{"name":"x"}}]}""", "items[0]: item has no 'kind'")]
    [InlineData("""{"items":[{"kind":"Node","metadata":{"name":"a"}},{"kind":"Node","metadata":{"name":"a"}}]}""", "items[1]: node a appears twice")]
    [InlineData("""{"items":[{"kind":"Node","metadata":{"name":"a"},"status":{"allocatable":{"cpu":"lots"}}}]}""", "items[0]")]
    [InlineData("""{"items":[{"kind":"Pod","metadata":{"name":"p","annotations":{"lepton.ai/gpu-milli":"x"}},"spec":{"containers":[]}}]}""", "items[0]: pod default/p: annotation lepton.ai/gpu-milli")]
    public void Parse_BadInput_OneClearError(string json, string expected)
    {
        var error = Assert.Throws<ClusterStateFileException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "missing", "none.json");

        var error = Assert.Throws<ClusterStateFileException>(() => ClusterStateFile.Load(path, new KubeObjectMapper()));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }
}
