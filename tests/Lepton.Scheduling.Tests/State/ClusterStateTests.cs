using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Scheduling.Tests.State;

public class ClusterStateTests
{
    private static readonly CardSelector BestFit = (node, cards) => 0;

    private static CardSelector Rule(PodDemand pod) =>
        (node, cards) => CardSelection.Select(pod, node.CardFree, CardSelection.ShareRule.BestFit, cards);

    [Fact]
    public void Assume_ReducesCapacity_NextFitSeesItGone()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 2));
        var first = Make.Pod(gpus: 2);

        var outcome = sut.Assume(first, "n1", Rule(first));
        sut.TryGetNode("n1", out var node);

        Assert.True(outcome.Succeeded);
        Assert.Equal([0, 1], outcome.Placement!.Cards.ToArray());
        Assert.Equal(FitCode.InsufficientGpu, FitChecker.Check(Make.Pod(gpus: 1), node!));
    }

    [Fact]
    public void Assume_NoLongerFits_FailsWithReason()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 1));
        var a = Make.Pod(gpus: 1);
        var b = Make.Pod(gpus: 1);
        sut.Assume(a, "n1", Rule(a));

        var outcome = sut.Assume(b, "n1", Rule(b));

        Assert.False(outcome.Succeeded);
        Assert.Contains("no longer fits node n1: Insufficient GPU: needs 1 GPUs, 0 free of 1", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Assume_UnknownNodeOrOtherNode_Fails()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1"));
        sut.UpsertNode(Make.Node("n2"));
        var pod = Make.Pod(gpus: 1);
        sut.Assume(pod, "n1", Rule(pod));

        Assert.Contains("not in Lepton's node cache", sut.Assume(Make.Pod(), "nx", BestFit).Error, StringComparison.Ordinal);
        Assert.Contains("already placed on node n1", sut.Assume(pod, "n2", Rule(pod)).Error, StringComparison.Ordinal);
        Assert.True(sut.Assume(pod, "n1", Rule(pod)).Succeeded);
    }

    [Fact]
    public void ForgetExpired_UnconfirmedAfterTimeout_FreesCapacity_ConfirmedStays()
    {
        var time = new FakeTimeProvider();
        var sut = new ClusterState(time, new ClusterStateOptions { AssumeTimeout = TimeSpan.FromSeconds(30) });
        sut.UpsertNode(Make.Node("n1", gpus: 2));
        var confirmed = Make.Pod(gpus: 1);
        var abandoned = Make.Pod(gpus: 1);
        sut.Assume(confirmed, "n1", Rule(confirmed));
        sut.Assume(abandoned, "n1", Rule(abandoned));
        sut.Confirm(confirmed, "n1");

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(sut.ForgetExpired());
        time.Advance(TimeSpan.FromSeconds(2));
        var forgotten = sut.ForgetExpired();

        Assert.Equal(abandoned.Uid, Assert.Single(forgotten).Pod.Uid);
        Assert.True(sut.TryGetPod(confirmed.Uid, out var kept));
        Assert.Equal(PlacementPhase.Bound, kept.Phase);
        sut.TryGetNode("n1", out var node);
        Assert.Equal(1, node!.FullyFreeCards);
    }

    [Fact]
    public void Confirm_OnOtherNodeThanAssumed_MovesThePod()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 1));
        sut.UpsertNode(Make.Node("n2", gpus: 1));
        var pod = Make.Pod(gpus: 1);
        sut.Assume(pod, "n1", Rule(pod));

        sut.Confirm(pod, "n2");

        sut.TryGetNode("n1", out var n1);
        sut.TryGetNode("n2", out var n2);
        Assert.Equal(1, n1!.FullyFreeCards);
        Assert.Equal(0, n2!.FullyFreeCards);
    }

    [Fact]
    public void Confirm_WithoutRoom_RecordsRealityAndCountsDrift()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 1));
        sut.Confirm(Make.Pod(gpus: 1), "n1");

        sut.Confirm(Make.Pod(gpus: 1), "n1");

        Assert.Equal(1, sut.Overcommitted);
        Assert.Equal(2, sut.PodCount);
    }

    [Fact]
    public void Remove_FreesCardsAndResources()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 4));
        var share = Make.Share(300, 2000);
        sut.Confirm(share, "n1");

        Assert.True(sut.Remove(share.Uid));
        Assert.False(sut.Remove(share.Uid));
        sut.TryGetNode("n1", out var node);
        Assert.Equal(4000, node!.GpuIdleMilli);
        Assert.Equal(0, node.CpuUsedMilli);
        Assert.Equal(0, node.PodCount);
    }

    [Fact]
    public void UpsertNode_ChangedInventory_KeepsPodsAccounted()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", cpuMilli: 8000, gpus: 2));
        sut.Confirm(Make.Pod(cpuMilli: 4000, gpus: 1), "n1");

        sut.UpsertNode(Make.Node("n1", cpuMilli: 16000, gpus: 2));

        sut.TryGetNode("n1", out var node);
        Assert.Equal(4000, node!.CpuUsedMilli);
        Assert.Equal(1, node.FullyFreeCards);
        Assert.Equal(16000, sut.Scale.MaxNodeCpuMilli);
    }

    [Fact]
    public void Load_HintedPodsFirst_ThenDeterministicReconstruction()
    {
        var sut = new ClusterState();
        var early = Make.Share(600) with { CreatedAt = DateTimeOffset.UnixEpoch };
        var hinted = Make.Share(500) with { CardsHint = [0], CreatedAt = DateTimeOffset.UnixEpoch.AddDays(1) };

        sut.Load([Make.Node("n1", gpus: 2)], [(early, "n1"), (hinted, "n1")]);

        sut.TryGetPod(hinted.Uid, out var h);
        sut.TryGetPod(early.Uid, out var e);
        Assert.Equal([0], h!.Cards.ToArray());
        Assert.Equal([1], e!.Cards.ToArray()); // card 0 has 500 free after the hinted pod: 600 goes to card 1.
    }

    [Fact]
    public void Confirm_PodBeforeItsNode_AccountedWhenNodeArrives()
    {
        var sut = new ClusterState();
        sut.Confirm(Make.Pod(cpuMilli: 2000, gpus: 1), "late");

        sut.UpsertNode(Make.Node("late", gpus: 2));

        sut.TryGetNode("late", out var node);
        Assert.Equal(2000, node!.CpuUsedMilli);
    }

    [Fact]
    public async Task Assume_ConcurrentBindsForOneCard_ExactlyOneWins()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 1));
        var pods = Enumerable.Range(0, 64).Select(_ => Make.Pod(gpus: 1)).ToArray();

        var outcomes = await Task.WhenAll(pods.Select(p => Task.Run(() => sut.Assume(p, "n1", Rule(p)))));

        Assert.Single(outcomes, o => o.Succeeded);
        sut.TryGetNode("n1", out var node);
        Assert.Equal(0, node!.CardFree[0]);
    }

    [Fact]
    public void RemoveNode_PodsReappearWithNode()
    {
        var sut = new ClusterState();
        sut.UpsertNode(Make.Node("n1", gpus: 2));
        sut.Confirm(Make.Pod(gpus: 1), "n1");

        Assert.True(sut.RemoveNode("n1"));
        Assert.False(sut.TryGetNode("n1", out _));
        sut.UpsertNode(Make.Node("n1", gpus: 2));

        sut.TryGetNode("n1", out var node);
        Assert.Equal(1, node!.FullyFreeCards);
    }
}
