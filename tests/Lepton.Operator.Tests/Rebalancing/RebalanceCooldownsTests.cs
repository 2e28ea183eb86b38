using Lepton.Operator.Rebalancing;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalanceCooldownsTests
{
    private static readonly DateTimeOffset Now = TestClock.Epoch;

    private static RebalanceCandidate Candidate(string name, string node = "node-a", string? controller = "rs-1") =>
        new(new PlacedPod(new PodDemand { Uid = "uid-" + name, Name = name }, node, [0], PlacementPhase.Bound, null), controller);

    private static RebalanceMove Move(string name, string node = "node-a", string? controller = "rs-1") =>
        new(new PodDemand { Uid = "uid-" + name, Name = name }, controller, node, "node-b", 1000, 0, 62, 37);

    [Fact]
    public void Moved_SamePodName_CoolsDownForPodCooldown()
    {
        var sut = new RebalanceCooldowns();

        sut.Moved(Move("p1", controller: null), Now, TimeSpan.FromHours(1), TimeSpan.Zero);

        Assert.True(sut.IsCoolingDown(Candidate("p1", "node-c", controller: null), Now.AddMinutes(59)));
        Assert.False(sut.IsCoolingDown(Candidate("p1", "node-c", controller: null), Now.AddHours(1)));
    }

    [Fact]
    public void Moved_ReplacementOfTheSameController_CoolsDown()
    {
        var sut = new RebalanceCooldowns();

        sut.Moved(Move("p1"), Now, TimeSpan.FromHours(1), TimeSpan.Zero);

        Assert.True(sut.IsCoolingDown(Candidate("p1-new", "node-c"), Now.AddMinutes(1)));
        Assert.False(sut.IsCoolingDown(Candidate("other", "node-c", controller: "rs-2"), Now.AddMinutes(1)));
    }

    [Fact]
    public void Moved_SourceNode_CoolsDownForNodeCooldown()
    {
        var sut = new RebalanceCooldowns();

        sut.Moved(Move("p1"), Now, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        Assert.True(sut.IsCoolingDown(Candidate("p2", "node-a", controller: "rs-2"), Now.AddMinutes(9)));
        Assert.False(sut.IsCoolingDown(Candidate("p2", "node-a", controller: "rs-2"), Now.AddMinutes(10)));
        Assert.False(sut.IsCoolingDown(Candidate("p2", "node-b", controller: "rs-2"), Now));
    }

    [Fact]
    public void Blocked_WithRetryAfter_HoldsThePodUntilThen()
    {
        var sut = new RebalanceCooldowns();

        sut.Blocked("uid-p1", Now, TimeSpan.FromSeconds(10));

        Assert.True(sut.IsCoolingDown(Candidate("p1"), Now.AddSeconds(9)));
        Assert.False(sut.IsCoolingDown(Candidate("p1"), Now.AddSeconds(10)));
    }

    [Fact]
    public void Blocked_WithoutRetryAfter_AllowsTheNextCycle()
    {
        var sut = new RebalanceCooldowns();

        sut.Blocked("uid-p1", Now, null);

        Assert.False(sut.IsCoolingDown(Candidate("p1"), Now.AddTicks(1)));
    }

    [Fact]
    public void Prune_ExpiredEntries_AreDropped()
    {
        var sut = new RebalanceCooldowns();
        sut.Moved(Move("p1"), Now, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        sut.Blocked("uid-p2", Now, TimeSpan.FromMinutes(3));

        sut.Prune(Now.AddMinutes(2));

        Assert.Equal(1, sut.Count);
    }
}
