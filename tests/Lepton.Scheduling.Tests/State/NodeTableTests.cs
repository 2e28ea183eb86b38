using System.Text;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.State;

public sealed class NodeTableTests
{
    [Fact]
    public void TryResolveUtf8_EveryNodeOfALargeTable_FindsItsSlotAndTheTablesString()
    {
        var sut = new ClusterState();
        var names = Enumerable.Range(0, 3000).Select(i => $"gpu-node-{i:D5}.zone-{i % 7}").ToArray();
        sut.Load(names.Select(n => Make.Node(n)), []);
        var table = sut.Table;

        foreach (var name in names)
        {
            Assert.True(table.TryResolveUtf8(Encoding.UTF8.GetBytes(name), out var key, out var slot));
            Assert.Equal(name, key);
            Assert.Same(table.NameAt(slot), key);
            Assert.Equal(name, table.StateAt(slot).Name);
            Assert.True(table.TryResolve(name, out var bySlot));
            Assert.Equal(slot, bySlot);
        }
    }

    [Theory]
    [InlineData("gpu-node-00001.zone-")]
    [InlineData("gpu-node-000010")]
    [InlineData("")]
    [InlineData("GPU-NODE-00001.ZONE-1")]
    public void TryResolveUtf8_UnknownOrNearMissName_IsNotFound(string name)
    {
        var sut = new ClusterState();
        sut.Load(Enumerable.Range(0, 50).Select(i => Make.Node($"gpu-node-{i:D5}.zone-{i % 7}")), []);

        Assert.False(sut.Table.TryResolveUtf8(Encoding.UTF8.GetBytes(name), out var key, out var slot));
        Assert.Null(key);
        Assert.Equal(-1, slot);
    }

    [Fact]
    public void NameData_NonAsciiAndEscapedNames_AreFoundAndNotOfferedAsPlainBytes()
    {
        var sut = new ClusterState();
        sut.Load([Make.Node("plain-1"), Make.Node("caf\u00e9-2"), Make.Node("quote\"3"), Make.Node("back\\slash")], []);
        var table = sut.Table;

        foreach (var name in new[] { "plain-1", "caf\u00e9-2", "quote\"3", "back\\slash" })
        {
            Assert.True(table.TryResolveUtf8(Encoding.UTF8.GetBytes(name), out _, out var slot));
            Assert.Equal(ScoreNormalization.NodeOrderKey(name), table.OrderKeyAt(slot));
            var plain = table.PlainUtf8NameAt(slot);
            Assert.Equal(name == "plain-1" ? "plain-1" : string.Empty, Encoding.UTF8.GetString(plain));
        }
    }

    [Fact]
    public void Table_NodeAdded_PublishesANewTableAndKeepsSlotStatesCurrentInTheOldOneUntilThen()
    {
        var sut = new ClusterState();
        sut.Load([Make.Node("a"), Make.Node("b")], []);
        var before = sut.Table;
        Assert.True(before.TryResolve("b", out var b));

        sut.Confirm(Make.Pod(gpus: 1), "b");
        Assert.Same(before, sut.Table);
        Assert.Equal(7, before.StateAt(b).FullyFreeCards);

        sut.UpsertNode(Make.Node("c"));
        Assert.NotSame(before, sut.Table);
        Assert.Equal(3, sut.Table.Count);
        Assert.True(sut.Table.TryResolveUtf8("c"u8, out _, out _));
        Assert.False(before.TryResolveUtf8("c"u8, out _, out _));
    }
}
