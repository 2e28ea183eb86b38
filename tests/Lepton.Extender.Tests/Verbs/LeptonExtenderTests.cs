using System.Text.Json;
using Lepton.Extender.Fragmentation;
using Lepton.Extender.Pods;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Extender.Tests.Verbs;

public sealed class LeptonExtenderTests : IDisposable
{
    private readonly ExtenderHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Filter_FitAndMisfit_PassesFitAndExplainsMisfit()
    {
        _harness.WithNodes(Make.GpuNode("big"), Make.GpuNode("small", cards: 2), Make.CpuNode("cpu"))
            .WithBound("small", Make.Demand("busy", gpus: 1, cards: [0]));
        var sut = _harness.Extender;

        var result = sut.Filter(Args(Make.PodJson("p").Gpus(2), "big", "small", "cpu", "ghost"));

        Assert.Equal(["big"], result.NodeNames!);
        Assert.Null(result.Nodes);
        Assert.Equal("Insufficient GPU: needs 2 free GPUs", result.FailedNodes!["small"]);
        Assert.Equal(CandidateScoring.UnknownNodeMessage, result.FailedNodes["ghost"]);
        Assert.StartsWith("No GPU:", result.FailedAndUnresolvableNodes!["cpu"], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void FilterAndPrioritize_NodesChangedAfterParsing_ResolveAgainstTheCurrentTable()
    {
        _harness.WithNodes(Make.GpuNode("a"), Make.GpuNode("b", cards: 1));
        var json = ExtenderJsonContext.CreateInterning(_harness.State);
        var args = JsonSerializer.Deserialize(Requests.NodeNames(Make.PodJson("p").Gpus(2), "a", "b", "late"), json.ExtenderArgs)!;
        Assert.Equal(-1, Assert.IsType<ResolvedNodeNames>(args.NodeNames).Slots[2]);

        _harness.State.RemoveNode("a");
        _harness.State.UpsertNode(Make.GpuNode("late"));
        var filter = _harness.Extender.Filter(args);
        var scores = _harness.Extender.PrioritizeScores(args);

        Assert.Equal(["late"], filter.NodeNames!);
        Assert.Equal(CandidateScoring.UnknownNodeMessage, filter.FailedNodes!["a"]);
        Assert.StartsWith("Too few GPUs", filter.FailedAndUnresolvableNodes!["b"], StringComparison.Ordinal);
        Assert.Equal(["a", "b", "late"], scores.Hosts);
        Assert.Equal(0, scores.Scores[0]);
        Assert.Equal(0, scores.Scores[1]);
        Assert.True(scores.Scores[2] > 0);
    }

    [Fact]
    public void Filter_NoNodePasses_NodeNamesNull()
    {
        _harness.WithNodes(Make.CpuNode("cpu"));

        var result = _harness.Extender.Filter(Args(Make.PodJson("p").Gpus(1), "cpu"));

        Assert.Null(result.NodeNames);
        Assert.Single(result.FailedAndUnresolvableNodes!);
    }

    [Fact]
    public void Filter_CpuOnlyPod_PassesEveryNodeWithRoom()
    {
        _harness.WithNodes(Make.GpuNode("gpu"), Make.CpuNode("cpu"), Make.CpuNode("tiny", cpuMilli: 500));

        var result = _harness.Extender.Filter(Args(Make.PodJson("p").Cpu("2"), "gpu", "cpu", "tiny"));

        Assert.Equal(["gpu", "cpu"], result.NodeNames!);
        Assert.Equal("Insufficient cpu: needs 2000m", result.FailedNodes!["tiny"]);
    }

    [Fact]
    public void Filter_ShareOnFullCards_FailsWithThePodsShareNotTheNodesFigures()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 1)).WithBound("n", Make.Demand("a", gpus: 1, milli: 700, cards: [0]));

        var result = _harness.Extender.Filter(Args(Make.PodJson("p").Share(500), "n"));

        Assert.Null(result.NodeNames);
        Assert.Equal("Insufficient GPU share: needs 500 milli-GPU free on 1 card(s)", result.FailedNodes!["n"]);
    }

    [Fact]
    public void Filter_FpgaPod_PassesOnlyTheFpgaNode()
    {
        const string Region = "fpga.intel.com/region-ce48969398f05f33946d560708be108a";
        _harness.WithNodes(Make.FpgaNode("fpga", Region, 1), Make.GpuNode("gpu"));

        var result = _harness.Extender.Filter(Args(Make.PodJson("p").Request(Region, "1"), "fpga", "gpu"));

        Assert.Equal(["fpga"], result.NodeNames!);
        Assert.StartsWith("Missing resource:", result.FailedAndUnresolvableNodes!["gpu"], StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_BadGpuMilliAnnotation_AnswersError()
    {
        _harness.WithNodes(Make.GpuNode("n"));

        var result = _harness.Extender.Filter(Args(Make.PodJson("p").Gpus(1).Annotation("lepton.ai/gpu-milli", "half"), "n"));

        Assert.Contains("lepton.ai/gpu-milli", result.Error, StringComparison.Ordinal);
        Assert.Null(result.NodeNames);
    }

    [Fact]
    public void Filter_PodMissing_ThrowsRequestException()
    {
        Assert.Throws<ExtenderRequestException>(() => _harness.Extender.Filter(new ExtenderArgs { NodeNames = ["n"] }));
    }

    [Fact]
    public void Prioritize_FeasibleNodes_BestIsTenNextNineUnfitAndUnknownZero()
    {
        _harness.WithNodes(Make.GpuNode("empty", cards: 8), Make.GpuNode("half", cards: 8), Make.CpuNode("cpu"))
            .WithBound("half", Make.Demand("a", gpus: 1, milli: 500, cards: [0]));

        var result = _harness.Extender.Prioritize(Args(Make.PodJson("p").Share(500), "empty", "half", "cpu", "ghost"));

        Assert.Equal(ScoreMapping.StableRank, _harness.Extender.ScoreMapping);
        Assert.Equal(["empty", "half", "cpu", "ghost"], result.Select(r => r.Host));
        Assert.Equal(10, result[1].Score); // FGD fills the half-used card.
        Assert.Equal(9, result[0].Score);
        Assert.Equal(0, result[2].Score);
        Assert.Equal(0, result[3].Score);
    }

    [Fact]
    public void Prioritize_MinMax_BestTenWorstZero()
    {
        using var harness = new ExtenderHarness(o => o.ScoreMapping = ScoreMapping.MinMax);
        harness.WithNodes(Make.GpuNode("empty", cards: 8), Make.GpuNode("half", cards: 8), Make.CpuNode("cpu"))
            .WithBound("half", Make.Demand("a", gpus: 1, milli: 500, cards: [0]));

        var result = harness.Extender.Prioritize(Args(Make.PodJson("p").Share(500), "empty", "half", "cpu", "ghost"));

        Assert.Equal([0, 10, 0, 0], result.Select(r => r.Score));
    }

    [Fact]
    public async Task Prioritize_StableRankOnTheWire_IntegersTenDownTiesByNodeOrderKey()
    {
        // Twelve identical empty nodes tie; the half-used node is FGD's best.
        var empties = Enumerable.Range(0, 12).Select(i => $"gpu-{i:00}").ToArray();
        _harness.WithNodes([.. empties.Select(n => Make.GpuNode(n)), Make.GpuNode("half"), Make.CpuNode("cpu")])
            .WithBound("half", Make.Demand("a", gpus: 1, milli: 500, cards: [0]));
        string[] candidates = ["cpu", .. empties, "half", "ghost"];

        var json = await _harness.ProcessJsonAsync(ExtenderVerb.Prioritize, Requests.NodeNames(Make.PodJson("p").Share(500), candidates));

        // The wire names only the nodes that score (0 adds nothing in kube-scheduler), in candidate order.
        var scores = ReadScores(json);
        Assert.Equal(candidates.Where(scores.ContainsKey), scores.Keys);
        var tieOrder = empties.OrderBy(ScoreNormalization.NodeOrderKey).ToArray();
        var expected = new Dictionary<string, long> { ["half"] = 10 };
        for (var r = 0; r < 9; r++)
        {
            expected[tieOrder[r]] = 9 - r;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), scores.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prioritize_StableRank_SameScoresWhateverTheCandidateOrderOrPod()
    {
        var names = Enumerable.Range(0, 30).Select(i => $"node-{i}").ToArray();
        _harness.WithNodes([.. names.Select(n => Make.GpuNode(n, cards: 2))])
            .WithBound("node-3", Make.Demand("a", gpus: 1, cards: [0]))
            .WithBound("node-17", Make.Demand("b", gpus: 1, milli: 250, cards: [1]));

        var first = ReadScores(await _harness.ProcessJsonAsync(ExtenderVerb.Prioritize, Requests.NodeNames(Make.PodJson("p").Gpus(1), names)));
        var reversed = ReadScores(await _harness.ProcessJsonAsync(ExtenderVerb.Prioritize, Requests.NodeNames(Make.PodJson("q").Gpus(1), [.. names.Reverse()])));

        Assert.Equal(first.OrderBy(e => e.Key, StringComparer.Ordinal), reversed.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), first.Values.Where(v => v > 0).Order());
    }

    [Fact]
    public async Task Prioritize_MinMaxOnTheWire_AllEqualScoresAllZero()
    {
        using var harness = new ExtenderHarness(o => o.ScoreMapping = ScoreMapping.MinMax);
        harness.WithNodes(Make.GpuNode("a"), Make.GpuNode("b"), Make.GpuNode("c"));

        var scores = ReadScores(await harness.ProcessJsonAsync(ExtenderVerb.Prioritize, Requests.NodeNames(Make.PodJson("p").Gpus(1), "a", "b", "c")));

        Assert.All(scores.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Prioritize_LargeBatchOnSeveralCores_SameAsSequentialScoring()
    {
        const int Count = BatchPartition.MinParallelNodes + 700;
        var random = new Random(11);
        var names = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            names[i] = $"big-{i}";
            _harness.State.UpsertNode(i % 10 == 0 ? Make.CpuNode(names[i]) : Make.GpuNode(names[i], cards: 1 << random.Next(0, 4)));
            if (i % 10 != 0)
            {
                for (var k = random.Next(0, 3); k > 0; k--)
                {
                    _harness.State.Confirm(Make.Demand($"on-{i}-{k}", gpus: 1, milli: 250 * random.Next(1, 5), cards: [0]), names[i]);
                }
            }
        }

        var pod = Make.PodJson("p").Share(500);
        var demand = _harness.Services.GetRequiredService<PodReader>().Read(pod.ToElement());

        var result = _harness.Extender.Prioritize(Args(pod, names));

        var nodes = new List<NodeState>();
        var feasibleNames = new List<string>();
        foreach (var name in names)
        {
            Assert.True(_harness.State.TryGetNode(name, out var node));
            if (FitChecker.Check(demand, node) == FitCode.Fits)
            {
                nodes.Add(node);
                feasibleNames.Add(name);
            }
        }

        var scorer = new FgdScorer();
        var raw = new int[nodes.Count];
        var context = new ScoringContext(_harness.Services.GetRequiredService<TypicalMixProvider>().Current, _harness.State.Scale, new Random(0));
        scorer.Score(scorer.PreScore(demand, context), nodes.ToArray(), raw);
        var mapped = new long[nodes.Count];
        ScoreNormalization.ToExtenderRangeByRank(raw, [.. feasibleNames.Select(ScoreNormalization.NodeOrderKey)], mapped);
        var expected = names.ToDictionary(n => n, _ => 0L);
        for (var j = 0; j < feasibleNames.Count; j++)
        {
            expected[feasibleNames[j]] = mapped[j];
        }

        Assert.True(feasibleNames.Count > 1000);
        Assert.Equal(names, result.Select(r => r.Host));
        Assert.Equal(names.Select(n => expected[n]), result.Select(r => r.Score));
    }

    [Fact]
    public void Prioritize_UnmappablePod_AllZero()
    {
        _harness.WithNodes(Make.GpuNode("a"), Make.GpuNode("b"));

        var result = _harness.Extender.Prioritize(Args(Make.PodJson("p").Gpus(1).Annotation("lepton.ai/gpu-milli", "5000"), "a", "b"));

        Assert.All(result, r => Assert.Equal(0, r.Score));
        Assert.Equal(2, result.Count);
    }

    [Fact]
    public async Task BindAsync_KnownPod_AssumesPlacementAndTakesCapacity()
    {
        var pod = Make.PodJson("p").Gpus(2);
        _harness.WithNodes(Make.GpuNode("n", cards: 2)).WithPods(pod);
        var sut = _harness.Extender;

        // No filter call first: kube-scheduler's filter may have reached another replica (DECISIONS.md 19).
        var result = await sut.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Equal(string.Empty, result.Error);
        Assert.True(_harness.State.TryGetPod("uid-p", out var placed));
        Assert.Equal([0, 1], placed.Cards.ToArray());
        var again = sut.Filter(Args(Make.PodJson("q").Gpus(1), "n"));
        Assert.Equal("Insufficient GPU: needs 1 free GPU", again.FailedNodes!["n"]);
    }

    [Fact]
    public async Task BindAsync_PodOnlySeenByFilter_RefusedBecauseFilterBodiesAreNotTrusted()
    {
        _harness.WithNodes(Make.GpuNode("n"));
        _harness.Extender.Filter(Args(Make.PodJson("p").Gpus(1), "n"));

        var result = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Equal("bind of pod default/p (uid uid-p): not in the cluster-state file", result.Error);
        Assert.False(_harness.State.TryGetPod("uid-p", out _));
    }

    [Fact]
    public async Task BindAsync_ForgedFilterBodyForARealPod_ChangesNothingBindDoes()
    {
        // The real pod needs 2 whole GPUs; a forged filter body with its UID and version asks for none.
        var real = Make.PodJson("p").Gpus(2).ResourceVersion("5");
        _harness.WithNodes(Make.GpuNode("gpu", cards: 2), Make.CpuNode("cpu")).WithPods(real);
        var forged = Make.PodJson("p").ResourceVersion("5");
        Assert.Equal(["gpu", "cpu"], _harness.Extender.Filter(Args(forged, "gpu", "cpu")).NodeNames!);

        var onCpu = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "cpu" }, CancellationToken.None);
        var realFilter = _harness.Extender.Filter(Args(real, "gpu", "cpu"));
        var onGpu = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "gpu" }, CancellationToken.None);

        Assert.Contains("no longer fits", onCpu.Error, StringComparison.Ordinal);
        Assert.Equal(["gpu"], realFilter.NodeNames!);
        Assert.Equal(string.Empty, onGpu.Error);
        Assert.True(_harness.State.TryGetPod("uid-p", out var placed));
        Assert.Equal(2, placed.Cards.Length);
    }

    [Fact]
    public async Task BindAsync_UidOfAnotherPodOfThatName_Refused()
    {
        _harness.WithNodes(Make.GpuNode("n")).WithPods(Make.PodJson("p").Gpus(1));

        var result = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-old", Node = "n" }, CancellationToken.None);

        Assert.Equal("bind of pod default/p (uid uid-old): the cluster-state file's pod of that name has uid uid-p", result.Error);
    }

    [Fact]
    public async Task BindAsync_UnknownPod_AnswersError()
    {
        _harness.WithNodes(Make.GpuNode("n"));

        var result = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "x", PodNamespace = "ns", PodUID = "nope", Node = "n" }, CancellationToken.None);

        Assert.Equal("bind of pod ns/x (uid nope): not in the cluster-state file", result.Error);
    }

    [Fact]
    public async Task BindAsync_NoLongerFits_AnswersErrorAndKeepsState()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 1)).WithPods(Make.PodJson("p").Gpus(1));
        var sut = _harness.Extender;
        _harness.WithBound("n", Make.Demand("other", gpus: 1, cards: [0]));

        var result = await sut.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Contains("no longer fits", result.Error, StringComparison.Ordinal);
        Assert.False(_harness.State.TryGetPod("uid-p", out _));
    }

    [Fact]
    public void Preempt_MetaVictims_KeepsMinimalLowestPrioritySubset()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 2))
            .WithBound(
                "n",
                Make.Demand("low", gpus: 1, priority: 1, cards: [0]),
                Make.Demand("high", gpus: 1, priority: 100, cards: [1]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).Priority(1000).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?>
            {
                ["n"] = new() { Pods = [new() { UID = "uid-high" }, new() { UID = "uid-low" }], NumPDBViolations = 1 },
            },
        };

        var result = _harness.Extender.Preempt(args);

        var victims = result.NodeNameToMetaVictims!["n"];
        Assert.Equal(["uid-low"], victims.Pods!.Select(p => p.UID));
        Assert.Equal(1, victims.NumPDBViolations);
    }

    [Fact]
    public void Preempt_OfferedVictimsCannotMakeRoom_DropsNode()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 2))
            .WithBound("n", Make.Demand("a", gpus: 1, cards: [0]), Make.Demand("b", gpus: 1, cards: [1]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(2).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?> { ["n"] = new() { Pods = [new() { UID = "uid-a" }] } },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Empty(result.NodeNameToMetaVictims!);
    }

    [Fact]
    public void Preempt_FullPodVictims_AnswersWithUids()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 1)).WithBound("n", Make.Demand("v", gpus: 1, cards: [0]));
        var victim = JsonDocument.Parse("""{"metadata":{"name":"v","namespace":"default","uid":"uid-v"},"spec":{"containers":[]}}""").RootElement;
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).ToElement(),
            NodeNameToVictims = new Dictionary<string, Victims?> { ["n"] = new() { Pods = [victim], NumPDBViolations = 0 } },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Equal(["uid-v"], result.NodeNameToMetaVictims!["n"].Pods!.Select(p => p.UID));
    }

    [Fact]
    public void Preempt_VictimNotOnThatNode_IsNeverAdded()
    {
        _harness.WithNodes(Make.GpuNode("n1", cards: 1), Make.GpuNode("n2", cards: 1))
            .WithBound("n1", Make.Demand("a", gpus: 1, cards: [0]))
            .WithBound("n2", Make.Demand("b", gpus: 1, cards: [0]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?>
            {
                ["n1"] = new() { Pods = [new() { UID = "uid-b" }] }, // b lives on n2: it frees nothing on n1
                ["n2"] = new() { Pods = [new() { UID = "uid-b" }] },
            },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Equal(["n2"], result.NodeNameToMetaVictims!.Keys);
        Assert.Equal(["uid-b"], result.NodeNameToMetaVictims["n2"].Pods!.Select(p => p.UID));
    }

    [Fact]
    public void Preempt_PodFitsWithoutVictims_KeepsOfferedSet()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 2)).WithBound("n", Make.Demand("a", gpus: 1, cards: [0]));
        var offered = new MetaVictims { Pods = [new() { UID = "uid-a" }], NumPDBViolations = 0 };
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?> { ["n"] = offered },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Same(offered, result.NodeNameToMetaVictims!["n"]);
    }

    [Fact]
    public void Preempt_LowestPriorityVictimIsGangMember_NeverSplitsTheGang()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 2))
            .WithBound(
                "n",
                Make.Demand("member", gpus: 1, priority: 1, cards: [0]) with { Gang = "default/llama" },
                Make.Demand("single", gpus: 1, priority: 5, cards: [1]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).Priority(1000).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?>
            {
                ["n"] = new() { Pods = [new() { UID = "uid-member" }, new() { UID = "uid-single" }] },
            },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Equal(["uid-single"], result.NodeNameToMetaVictims!["n"].Pods!.Select(p => p.UID));
    }

    [Fact]
    public void Preempt_OnlyGangMembersWouldMakeRoom_DropsNode()
    {
        _harness.WithNodes(Make.GpuNode("n1", cards: 1), Make.GpuNode("n2", cards: 1))
            .WithBound("n1", Make.Demand("member", gpus: 1, priority: 1, cards: [0]) with { Gang = "default/llama" })
            .WithBound("n2", Make.Demand("single", gpus: 1, priority: 1, cards: [0]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).Priority(1000).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?>
            {
                ["n1"] = new() { Pods = [new() { UID = "uid-member" }], NumPDBViolations = 1 },
                ["n2"] = new() { Pods = [new() { UID = "uid-single" }] },
            },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Equal(["n2"], result.NodeNameToMetaVictims!.Keys);
    }

    [Fact]
    public void Preempt_PodFitsWithoutVictimsAndGangMemberOffered_KeepsOfferedSetLessTheMember()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 3))
            .WithBound(
                "n",
                Make.Demand("member", gpus: 1, cards: [0]) with { Gang = "default/llama" },
                Make.Demand("single", gpus: 1, cards: [1]));
        var args = new ExtenderPreemptionArgs
        {
            Pod = Make.PodJson("p").Gpus(1).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?>
            {
                ["n"] = new() { Pods = [new() { UID = "uid-member" }, new() { UID = "uid-single" }, new() { UID = "uid-unknown" }], NumPDBViolations = 3 },
            },
        };

        var result = _harness.Extender.Preempt(args);

        var victims = result.NodeNameToMetaVictims!["n"];
        Assert.Equal(["uid-single", "uid-unknown"], victims.Pods!.Select(p => p.UID));
        Assert.Equal(2, victims.NumPDBViolations);
    }

    [Fact]
    public void CandidateNames_NodesItemWithoutName_Throws()
    {
        var args = JsonSerializer.Deserialize("""{"Nodes":{"items":[{"metadata":{}}]}}""", ExtenderJsonContext.Default.ExtenderArgs)!;

        Assert.Throws<ExtenderRequestException>(() => LeptonExtender.CandidateNames(args));
    }

    private static ExtenderArgs Args(PodBuilder pod, params string[] names) => new() { Pod = pod.ToElement(), NodeNames = [.. names] };

    /// <summary>Host → score of a prioritize answer, in answer order, checking every score is a JSON integer 0..10.</summary>
    private static Dictionary<string, long> ReadScores(JsonElement answer)
    {
        Assert.Equal(JsonValueKind.Array, answer.ValueKind);
        var scores = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in answer.EnumerateArray())
        {
            var score = entry.GetProperty("Score");
            Assert.Equal(JsonValueKind.Number, score.ValueKind);
            Assert.DoesNotContain('.', score.GetRawText());
            Assert.InRange(score.GetInt64(), 0, 10);
            scores.Add(entry.GetProperty("Host").GetString()!, score.GetInt64());
        }

        return scores;
    }
}
