using Lepton.Extender.Verbs;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Verbs;

public sealed class VictimSelectorTests
{
    [Fact]
    public void Select_PodAlreadyFits_ReturnsEmpty()
    {
        var (node, placed) = Node(2, Make.Demand("a", gpus: 1, cards: [0]));

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 1), node, placed);

        Assert.NotNull(sut);
        Assert.Empty(sut);
    }

    [Fact]
    public void Select_OneLowPriorityVictimSuffices_TakesOnlyIt()
    {
        var (node, placed) = Node(
            2,
            Make.Demand("high", gpus: 1, priority: 50, cards: [0]),
            Make.Demand("low", gpus: 1, priority: 1, cards: [1]));

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 1), node, placed);

        Assert.Equal(["uid-low"], sut!.Select(v => v.Pod.Uid));
    }

    [Fact]
    public void Select_TwoLowSharesVersusOneHighWholePod_PrefersLowerPriority()
    {
        var (node, placed) = Node(
            2,
            Make.Demand("whole", gpus: 1, priority: 100, cards: [0]),
            Make.Demand("s1", gpus: 1, milli: 500, priority: 1, cards: [1]),
            Make.Demand("s2", gpus: 1, milli: 500, priority: 1, cards: [1]));

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 1), node, placed);

        Assert.Equal(["uid-s1", "uid-s2"], sut!.Select(v => v.Pod.Uid).Order());
    }

    [Fact]
    public void Select_SamePriority_PrefersFewestVictims()
    {
        var (node, placed) = Node(
            2,
            Make.Demand("s1", gpus: 1, milli: 500, cards: [0]),
            Make.Demand("s2", gpus: 1, milli: 500, cards: [0]),
            Make.Demand("w", gpus: 1, cards: [1]));

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 1), node, placed);

        Assert.Equal(["uid-w"], sut!.Select(v => v.Pod.Uid));
    }

    [Fact]
    public void Select_AllOfferedNotEnough_ReturnsNull()
    {
        var (node, placed) = Node(2, Make.Demand("a", gpus: 1, cards: [0]), Make.Demand("b", gpus: 1, cards: [1]));

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 2), node, [placed[0]]);

        Assert.Null(sut);
    }

    [Fact]
    public void Select_ManyVictims_GreedyResultIsMinimalSubset()
    {
        var pods = Enumerable.Range(0, 16).Select(i => Make.Demand("s" + i, gpus: 1, milli: 250, priority: i, cards: [i / 4])).ToArray();
        var (node, placed) = Node(4, pods);

        var sut = VictimSelector.Select(Make.Demand("p", gpus: 1), node, placed);

        // One card must be freed completely: the four lowest-priority shares on card 0.
        Assert.Equal(["uid-s0", "uid-s1", "uid-s2", "uid-s3"], sut!.Select(v => v.Pod.Uid).Order(StringComparer.Ordinal));
    }

    private static (NodeState Node, List<PlacedPod> Placed) Node(int cards, params Lepton.Scheduling.Inventory.PodDemand[] pods)
    {
        var state = new ClusterState();
        state.UpsertNode(Make.GpuNode("n", cards: cards));
        var placed = pods.Select(p => state.Confirm(p, "n")).ToList();
        Assert.True(state.TryGetNode("n", out var node));
        return (node, placed);
    }
}
