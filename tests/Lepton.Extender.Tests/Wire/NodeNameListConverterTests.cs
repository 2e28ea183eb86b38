using System.Text.Json;
using Lepton.Kubernetes.Wire;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Wire;

public sealed class NodeNameListConverterTests
{
    private readonly ExtenderJsonContext _sut = ExtenderJsonContext.CreateInterning();

    [Fact]
    public void Deserialize_SameNamesTwice_ReusesStrings()
    {
        var first = JsonSerializer.Deserialize("""{"NodeNames":["node-1","node-2"]}""", _sut.ExtenderArgs)!.NodeNames!;
        var second = JsonSerializer.Deserialize("""{"NodeNames":["node-2","node-1"]}""", _sut.ExtenderArgs)!.NodeNames!;

        Assert.Equal(["node-1", "node-2"], first);
        Assert.Same(first[0], second[1]);
        Assert.Same(first[1], second[0]);
    }

    [Fact]
    public void Deserialize_EscapedAndLongNames_ReadExactly()
    {
        var longName = new string('a', 300);
        var names = JsonSerializer.Deserialize("{\"nodenames\":[\"n\\u00e9\\\"x\",\"" + longName + "\",\"\"]}", _sut.ExtenderArgs)!.NodeNames!;

        Assert.Equal(["né\"x", longName, string.Empty], names);
    }

    [Fact]
    public void Deserialize_ManyNames_KeepsOrder()
    {
        var expected = Enumerable.Range(0, 5000).Select(i => "node-" + i).ToArray();
        var json = "{\"NodeNames\":[" + string.Join(',', expected.Select(n => "\"" + n + "\"")) + "]}";

        var names = JsonSerializer.Deserialize(json, _sut.ExtenderArgs)!.NodeNames!;

        Assert.Equal(expected, names);
    }

    [Theory]
    [InlineData("""{"NodeNames":["a",null]}""")]
    [InlineData("""{"NodeNames":["a",1]}""")]
    [InlineData("""{"NodeNames":{"a":1}}""")]
    [InlineData("""{"NodeNames":"a"}""")]
    public void Deserialize_NotStrings_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, _sut.ExtenderArgs));
    }

    [Fact]
    public void Deserialize_NullNodeNames_IsNull()
    {
        Assert.Null(JsonSerializer.Deserialize("""{"NodeNames":null}""", _sut.ExtenderArgs)!.NodeNames);
    }

    [Fact]
    public void Deserialize_WithClusterState_ResolvesKnownNamesToTheTablesStringsAndSlots()
    {
        var state = new Lepton.Scheduling.State.ClusterState();
        state.Load([Make.GpuNode("gpu-a"), Make.GpuNode("gpu-b"), Make.CpuNode("caf\u00e9")], []);
        var sut = ExtenderJsonContext.CreateInterning(state);

        var names = JsonSerializer.Deserialize("{\"NodeNames\":[\"gpu-b\",\"ghost\",\"caf\\u00e9\",\"gpu-a\",\"caf\u00e9\"]}", sut.ExtenderArgs)!.NodeNames!;

        var resolved = Assert.IsType<ResolvedNodeNames>(names);
        Assert.Equal(["gpu-b", "ghost", "caf\u00e9", "gpu-a", "caf\u00e9"], resolved);
        Assert.Same(state.Table, resolved.Table);
        for (var i = 0; i < resolved.Count; i++)
        {
            var known = state.Table.TryResolve(resolved[i], out var slot);
            Assert.Equal(known ? slot : -1, resolved.Slots[i]);
        }

        Assert.Equal(-1, resolved.Slots[1]);
        Assert.Same(state.Table.NameAt(resolved.Slots[0]), resolved[0]);
    }
}
