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
        Assert.Equal("0/1 nodes match: 1 node(s) are the wrong GPU model (NVIDIA-V100); 1 replica must start together, each needing 1 GPU (NVIDIA-H100-80GB-HBM3), 1 CPU, 1Gi memory", message);
    }

    [Fact]
    public void Explain_SelectorAndTaintMatchNoNode_NoMatchingNodesNamingEachPredicate()
    {
        for (var i = 0; i < 3; i++)
        {
            _state.UpsertNode(Node($"pool{i}", 8, "NVIDIA-A100-SXM4-80GB") with { Labels = new Dictionary<string, string> { ["pool"] = "a" } });
        }

        for (var i = 0; i < 2; i++)
        {
            _state.UpsertNode(Node($"reserved{i}", 8, "NVIDIA-A100-SXM4-80GB") with { Taints = [new NodeTaint("gpu", "reserved", NodeTaint.NoSchedule)] });
        }

        var member = Pod("m0", 1) with { Placement = new PodPlacement { NodeSelector = [new("pool", "does-not-exist")] } };
        var members = new[] { member, member with { Uid = "m1", Name = "m1" } };

        var plan = _sut.Plan(members, []);
        var (reason, message) = GangExplainer.Explain(2, plan.Unplaced[0], plan);

        Assert.Empty(plan.Placements);
        Assert.Empty(_sut.PlanOnEmptyCluster(members).Placements);
        Assert.Equal(LeptonJobConditionReasons.NoMatchingNodes, reason);
        Assert.StartsWith("0/5 nodes match: 3 node(s) didn't match nodeSelector pool=does-not-exist, 2 node(s) had untolerated taint gpu=reserved:NoSchedule; 2 replicas must start together", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AllNodesCordoned_NoMatchingNodes()
    {
        for (var i = 0; i < 3; i++)
        {
            _state.UpsertNode(Node($"n{i}", 8, "NVIDIA-A100-SXM4-80GB") with { Unschedulable = true });
        }

        var plan = _sut.Plan([Pod("m0", 1)], []);
        var (reason, message) = GangExplainer.Explain(1, plan.Unplaced[0], plan);

        Assert.Equal(LeptonJobConditionReasons.NoMatchingNodes, reason);
        Assert.StartsWith("0/3 nodes match: 3 node(s) are cordoned;", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_RequiredAffinityMatchesNoNode_NoMatchingNodesNamingTheTerm()
    {
        Nodes(2);
        var term = new NodeSelectorTerm([new NodeSelectorRequirement("topology.kubernetes.io/zone", "In", ["eu-1"])], []);
        var member = Pod("m0", 1) with { Placement = new PodPlacement { RequiredTerms = [term] } };

        var plan = _sut.Plan([member], []);
        var (reason, message) = GangExplainer.Explain(1, plan.Unplaced[0], plan);

        Assert.Equal(LeptonJobConditionReasons.NoMatchingNodes, reason);
        Assert.StartsWith("0/2 nodes match: 2 node(s) didn't match the required node affinity (topology.kubernetes.io/zone In (eu-1));", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SelectorMatchesSomeNodes_PlacesOnlyOnThem()
    {
        Nodes(2);
        var train = new Dictionary<string, string> { ["pool"] = "train" };
        _state.UpsertNode(Node("t0", 8, "NVIDIA-A100-SXM4-80GB") with { Labels = train });
        _state.UpsertNode(Node("t1", 8, "NVIDIA-A100-SXM4-80GB") with { Labels = train });
        var member = Pod("m0", 8) with { Placement = new PodPlacement { NodeSelector = [new("pool", "train")] } };

        var plan = _sut.Plan([member, member with { Uid = "m1", Name = "m1" }], []);

        Assert.Equal(["t0", "t1"], plan.Placements.Select(p => p.NodeName).Order());
    }

    [Fact]
    public void Plan_RoomForOneMemberOnTheOnlyMatchingNode_NeverFitsEvenEmpty()
    {
        Nodes(2);
        _state.UpsertNode(Node("t0", 8, "NVIDIA-A100-SXM4-80GB") with { Labels = new Dictionary<string, string> { ["pool"] = "train" } });
        var member = Pod("m0", 8) with { Placement = new PodPlacement { NodeSelector = [new("pool", "train")] } };
        var members = new[] { member, member with { Uid = "m1", Name = "m1" } };

        var plan = _sut.Plan(members, []);
        var empty = _sut.PlanOnEmptyCluster(members);
        var (reason, message) = GangExplainer.Explain(2, plan.Unplaced[0], plan, neverFits: empty.Placements.Count < 2);

        Assert.Single(plan.Placements);
        Assert.Single(empty.Placements);
        Assert.Equal(LeptonJobConditionReasons.NoMatchingNodes, reason);
        Assert.StartsWith("no node set can ever hold the gang, even with every node empty; 2 replicas must start together", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwoModelsWithRoom_KeepsTheGangOnOneModel()
    {
        _state.UpsertNode(Node("t4", 8, "TESLA-T4"));
        _state.UpsertNode(Node("a100-0", 8, "NVIDIA-A100-SXM4-80GB"));
        _state.UpsertNode(Node("a100-1", 8, "NVIDIA-A100-SXM4-80GB"));
        _state.Confirm(Pod("t4-busy", 4), "t4");
        _state.Confirm(Pod("a100-busy", 4), "a100-0");

        var plan = _sut.Plan([Pod("m0", 4), Pod("m1", 4)], []);

        Assert.Equal(2, plan.Placements.Count);
        Assert.Single(plan.Placements.Select(p => plan.Nodes.Single(n => n.Name == p.NodeName).Inventory.GpuModel).Distinct());
    }

    [Fact]
    public void Plan_JobListsSeveralModelsAndNoneHoldsTheGang_SplitsAcrossThem()
    {
        _state.UpsertNode(Node("t4", 8, "TESLA-T4"));
        _state.UpsertNode(Node("a100", 8, "NVIDIA-A100-SXM4-80GB"));
        var models = System.Collections.Immutable.ImmutableArray.Create("TESLA-T4", "NVIDIA-A100-SXM4-80GB");

        var plan = _sut.Plan([Pod("m0", 8) with { GpuModels = models }, Pod("m1", 8) with { GpuModels = models }], []);

        Assert.Equal(["a100", "t4"], plan.Placements.Select(p => p.NodeName).Order());
    }

    [Fact]
    public void Plan_OneModelOnlyAndNoneHoldsTheGang_DoesNotSplit()
    {
        _state.UpsertNode(Node("t4", 8, "TESLA-T4"));
        _state.UpsertNode(Node("a100", 8, "NVIDIA-A100-SXM4-80GB"));

        var plan = _sut.Plan([Pod("m0", 8), Pod("m1", 8)], []);

        Assert.Single(plan.Placements);
        Assert.Single(plan.Unplaced);
    }

    [Fact]
    public void Plan_SmallMembers_LandOnFewNodes()
    {
        Nodes(4);

        var plan = _sut.Plan([Pod("m0", 2), Pod("m1", 2), Pod("m2", 2), Pod("m3", 2)], []);

        Assert.Single(plan.Placements.Select(p => p.NodeName).Distinct());
    }

    [Fact]
    public void StillFits_MembersOwnAssumedReservation_IsItsRoomNotTakenRoom()
    {
        _state.UpsertNode(Node("n0", 8, "NVIDIA-A100-SXM4-80GB"));
        var member = Pod("m0", 8) with { ReservedNode = "n0" };
        Assert.True(_state.Assume(member, "n0", (node, cards) => Lepton.Scheduling.Fit.CardSelection.Select(member, node.CardFree, Lepton.Scheduling.Fit.CardSelection.ShareRule.BestFit, cards)).Succeeded);

        Assert.True(_sut.StillFits(member, "n0", []));
        Assert.False(_sut.StillFits(Pod("other", 8), "n0", []));
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
