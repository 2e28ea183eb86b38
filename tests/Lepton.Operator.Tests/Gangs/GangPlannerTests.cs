using Lepton.Operator.Entities;
using Lepton.Operator.Gangs;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Gangs;

public sealed class GangPlannerTests
{
    private readonly ClusterState _state = new();
    private readonly GangPlanner _sut;

    public GangPlannerTests()
    {
        _sut = new GangPlanner(_state, ScorerRegistry.CreateDefault().Create("FGD"), new TypicalMixProvider(_state, 500, 0.95), Options.Create(new OperatorOptions()));
    }

    [Fact]
    public void Plan_RoomOnTwoOfThreeNodes_PlacesEachMemberOnItsOwnNodeWithCards()
    {
        Nodes(3);
        _state.Confirm(Pod("busy", gpus: 4), "n0");

        var plan = _sut.Plan([Pod("m0", 8), Pod("m1", 8)], []);

        Assert.Equal(["n1", "n2"], plan.Placements.Select(p => p.NodeName).Order());
        Assert.All(plan.Placements, p => Assert.Equal(8, p.Cards.Length));
        Assert.All(plan.Placements, p => Assert.Equal(p.NodeName, p.Pod.ReservedNode));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(1, _state.PodCount);
    }

    [Fact]
    public void Plan_AnotherGangsUnboundReservation_CountsAsTakenRoom()
    {
        Nodes(3);
        var reserved = new GangReservation(Pod("other", 8) with { ReservedNode = "n1" }, "n1", DateTimeOffset.UnixEpoch);

        var plan = _sut.Plan([Pod("m0", 8), Pod("m1", 8), Pod("m2", 8)], [reserved]);

        Assert.Equal(["n0", "n2"], plan.Placements.Select(p => p.NodeName).Order());
        Assert.Equal("m2", Assert.Single(plan.Unplaced).Name);
        Assert.Equal(0, plan.Nodes.Single(n => n.Name == "n1").FullyFreeCards);
    }

    [Fact]
    public void Plan_ReservationTheClusterStateAlreadyAccounts_IsNotCountedTwice()
    {
        Nodes(1);
        var bound = Pod("other", 4);
        _state.Confirm(bound, "n0");

        var plan = _sut.Plan([Pod("m0", 4)], [new GangReservation(bound, "n0", DateTimeOffset.UnixEpoch)]);

        Assert.Equal("n0", Assert.Single(plan.Placements).NodeName);
    }

    [Fact]
    public void Plan_StaleReservationOnAMember_IsIgnoredForItself()
    {
        Nodes(2);
        var member = Pod("m0", 8) with { ReservedNode = "n0" };

        var plan = _sut.Plan([member], [new GangReservation(member, "n0", DateTimeOffset.UnixEpoch)]);

        Assert.Single(plan.Placements);
        Assert.All(plan.Nodes, n => Assert.Equal(8, n.FullyFreeCards));
    }

    [Fact]
    public void Explain_MixedRefusals_GroupsReasonsWithNumbersMostCommonFirst()
    {
        Nodes(1);
        Nodes(2, prefix: "half");
        _state.Confirm(Pod("a", 6), "half0");
        _state.Confirm(Pod("b", 2), "half1");
        _state.UpsertNode(Node("v100", 8, "NVIDIA-V100"));
        _state.UpsertNode(Node("cpu", 0, null));
        _state.UpsertNode(Node("cordoned", 8, "NVIDIA-A100-SXM4-80GB") with { Unschedulable = true });
        var member = Pod("m0", 8) with { GpuModels = ["NVIDIA-A100-SXM4-80GB"], CpuMilli = 4000, MemoryBytes = 64L << 30 };
        var plan = _sut.Plan([member, member with { Uid = "m1", Name = "m1" }], []);

        var (reason, message) = GangExplainer.Explain(2, plan.Unplaced[0], plan);

        Assert.Equal(LeptonJobConditionReasons.InsufficientResources, reason);
        Assert.Equal(
            "2 replicas must start together, each needing 8 GPUs (NVIDIA-A100-SXM4-80GB), 4 CPU, 64Gi memory; room for 1 now: 1 of 6 nodes have room for one; "
            + "2 lack free GPUs (8 needed, 2–6 free); 1 are cordoned; 1 have no nvidia.com/gpu GPUs; 1 are the wrong GPU model (NVIDIA-V100)",
            message);
    }

    [Fact]
    public void Explain_NoNodeOfTheModel_NoMatchingNodes()
    {
        _state.UpsertNode(Node("v100", 8, "NVIDIA-V100"));
        var member = Pod("m0", 1) with { GpuModels = ["NVIDIA-H100-80GB-HBM3"] };

        var (reason, message) = GangExplainer.Explain(1, member, _sut.Plan([member], []));

        Assert.Equal(LeptonJobConditionReasons.NoMatchingNodes, reason);
        Assert.EndsWith("room for 0 now: 0 of 1 nodes have room for one; 1 are the wrong GPU model (NVIDIA-V100)", message, StringComparison.Ordinal);
    }

    private void Nodes(int count, string prefix = "n")
    {
        for (var i = 0; i < count; i++)
        {
            _state.UpsertNode(Node(prefix + i, 8, "NVIDIA-A100-SXM4-80GB"));
        }
    }

    private static NodeInventory Node(string name, int gpus, string? model) => new()
    {
        Name = name,
        CpuMilli = 64_000,
        MemoryBytes = 512L << 30,
        GpuResource = gpus > 0 ? "nvidia.com/gpu" : null,
        GpuCards = gpus,
        GpuModel = model,
        Extended = gpus > 0 ? [new ResourceAmount("nvidia.com/gpu", gpus)] : [],
    };

    private static PodDemand Pod(string name, int gpus) => new()
    {
        Uid = name,
        Name = name,
        CpuMilli = 1000,
        MemoryBytes = 1L << 30,
        GpuCount = gpus,
        GpuMilli = gpus > 0 ? 1000 : 0,
        GpuResource = "nvidia.com/gpu",
        Extended = [new ResourceAmount("nvidia.com/gpu", gpus)],
    };
}
