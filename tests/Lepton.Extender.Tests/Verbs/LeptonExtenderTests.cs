using System.Text.Json;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Extender.Verbs;
using Lepton.Extender.Wire;

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

        var result = sut.Filter(Args(Make.Pod("p").Gpus(2), "big", "small", "cpu", "ghost"));

        Assert.Equal(["big"], result.NodeNames!);
        Assert.Null(result.Nodes);
        Assert.Equal("Insufficient GPU: needs 2 GPUs, 1 free of 2", result.FailedNodes!["small"]);
        Assert.Equal(LeptonExtender.UnknownNodeMessage, result.FailedNodes["ghost"]);
        Assert.StartsWith("No GPU:", result.FailedAndUnresolvableNodes!["cpu"], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Filter_NoNodePasses_NodeNamesNull()
    {
        _harness.WithNodes(Make.CpuNode("cpu"));

        var result = _harness.Extender.Filter(Args(Make.Pod("p").Gpus(1), "cpu"));

        Assert.Null(result.NodeNames);
        Assert.Single(result.FailedAndUnresolvableNodes!);
    }

    [Fact]
    public void Filter_CpuOnlyPod_PassesEveryNodeWithRoom()
    {
        _harness.WithNodes(Make.GpuNode("gpu"), Make.CpuNode("cpu"), Make.CpuNode("tiny", cpuMilli: 500));

        var result = _harness.Extender.Filter(Args(Make.Pod("p").Cpu("2"), "gpu", "cpu", "tiny"));

        Assert.Equal(["gpu", "cpu"], result.NodeNames!);
        Assert.Equal("Insufficient cpu: needs 2000m, 500m free of 500m", result.FailedNodes!["tiny"]);
    }

    [Fact]
    public void Filter_ShareOnFullCards_FailsWithShareNumbers()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 1)).WithBound("n", Make.Demand("a", gpus: 1, milli: 700, cards: [0]));

        var result = _harness.Extender.Filter(Args(Make.Pod("p").Share(500), "n"));

        Assert.Null(result.NodeNames);
        Assert.Contains("most free on one card 300 of 1000", result.FailedNodes!["n"], StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_FpgaPod_PassesOnlyTheFpgaNode()
    {
        const string Region = "fpga.intel.com/region-ce48969398f05f33946d560708be108a";
        _harness.WithNodes(Make.FpgaNode("fpga", Region, 1), Make.GpuNode("gpu"));

        var result = _harness.Extender.Filter(Args(Make.Pod("p").Request(Region, "1"), "fpga", "gpu"));

        Assert.Equal(["fpga"], result.NodeNames!);
        Assert.StartsWith("Missing resource:", result.FailedAndUnresolvableNodes!["gpu"], StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_BadGpuMilliAnnotation_AnswersError()
    {
        _harness.WithNodes(Make.GpuNode("n"));

        var result = _harness.Extender.Filter(Args(Make.Pod("p").Gpus(1).Annotation("lepton.ai/gpu-milli", "half"), "n"));

        Assert.Contains("lepton.ai/gpu-milli", result.Error, StringComparison.Ordinal);
        Assert.Null(result.NodeNames);
    }

    [Fact]
    public void Filter_PodMissing_ThrowsRequestException()
    {
        Assert.Throws<ExtenderRequestException>(() => _harness.Extender.Filter(new ExtenderArgs { NodeNames = ["n"] }));
    }

    [Fact]
    public void Prioritize_FeasibleNodes_ScoresZeroToTenBestIsTen()
    {
        _harness.WithNodes(Make.GpuNode("empty", cards: 8), Make.GpuNode("half", cards: 8), Make.CpuNode("cpu"))
            .WithBound("half", Make.Demand("a", gpus: 1, milli: 500, cards: [0]));

        var result = _harness.Extender.Prioritize(Args(Make.Pod("p").Share(500), "empty", "half", "cpu", "ghost"));

        Assert.Equal(["empty", "half", "cpu", "ghost"], result.Select(r => r.Host));
        Assert.All(result, r => Assert.InRange(r.Score, 0, 10));
        Assert.Equal(10, result[1].Score); // FGD fills the half-used card.
        Assert.Equal(0, result[0].Score);
        Assert.Equal(0, result[2].Score);
        Assert.Equal(0, result[3].Score);
    }

    [Fact]
    public void Prioritize_UnmappablePod_AllZero()
    {
        _harness.WithNodes(Make.GpuNode("a"), Make.GpuNode("b"));

        var result = _harness.Extender.Prioritize(Args(Make.Pod("p").Gpus(1).Annotation("lepton.ai/gpu-milli", "5000"), "a", "b"));

        Assert.All(result, r => Assert.Equal(0, r.Score));
        Assert.Equal(2, result.Count);
    }

    [Fact]
    public async Task BindAsync_AfterFilter_AssumesPlacementAndTakesCapacity()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 2));
        var sut = _harness.Extender;
        var pod = Make.Pod("p").Gpus(2);
        Assert.Equal(["n"], sut.Filter(Args(pod, "n")).NodeNames!);

        var result = await sut.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Equal(string.Empty, result.Error);
        Assert.True(_harness.State.TryGetPod("uid-p", out var placed));
        Assert.Equal([0, 1], placed.Cards.ToArray());
        var again = sut.Filter(Args(Make.Pod("q").Gpus(1), "n"));
        Assert.Equal("Insufficient GPU: needs 1 GPUs, 0 free of 2", again.FailedNodes!["n"]);
    }

    [Fact]
    public async Task BindAsync_UnknownPod_AnswersError()
    {
        _harness.WithNodes(Make.GpuNode("n"));

        var result = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "x", PodNamespace = "ns", PodUID = "nope", Node = "n" }, CancellationToken.None);

        Assert.Contains("unknown to Lepton", result.Error, StringComparison.Ordinal);
        Assert.Contains("ns/x", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAsync_NoLongerFits_AnswersErrorAndKeepsState()
    {
        _harness.WithNodes(Make.GpuNode("n", cards: 1));
        var sut = _harness.Extender;
        sut.Filter(Args(Make.Pod("p").Gpus(1), "n"));
        _harness.WithBound("n", Make.Demand("other", gpus: 1, cards: [0]));

        var result = await sut.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Contains("no longer fits", result.Error, StringComparison.Ordinal);
        Assert.False(_harness.State.TryGetPod("uid-p", out _));
    }

    [Fact]
    public async Task BindAsync_PodForgottenAfterTtl_AnswersError()
    {
        _harness.WithNodes(Make.GpuNode("n"));
        _harness.Extender.Filter(Args(Make.Pod("p").Gpus(1), "n"));
        _harness.Time.Advance(TimeSpan.FromMinutes(6));

        var result = await _harness.Extender.BindAsync(new ExtenderBindingArgs { PodName = "p", PodNamespace = "default", PodUID = "uid-p", Node = "n" }, CancellationToken.None);

        Assert.Contains("unknown to Lepton", result.Error, StringComparison.Ordinal);
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
            Pod = Make.Pod("p").Gpus(1).Priority(1000).ToElement(),
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
            Pod = Make.Pod("p").Gpus(2).ToElement(),
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
            Pod = Make.Pod("p").Gpus(1).ToElement(),
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
            Pod = Make.Pod("p").Gpus(1).ToElement(),
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
            Pod = Make.Pod("p").Gpus(1).ToElement(),
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims?> { ["n"] = offered },
        };

        var result = _harness.Extender.Preempt(args);

        Assert.Same(offered, result.NodeNameToMetaVictims!["n"]);
    }

    [Fact]
    public void CandidateNames_NodesItemWithoutName_Throws()
    {
        var args = JsonSerializer.Deserialize("""{"Nodes":{"items":[{"metadata":{}}]}}""", ExtenderJsonContext.Default.ExtenderArgs)!;

        Assert.Throws<ExtenderRequestException>(() => LeptonExtender.CandidateNames(args));
    }

    private static ExtenderArgs Args(PodBuilder pod, params string[] names) => new() { Pod = pod.ToElement(), NodeNames = [.. names] };
}
