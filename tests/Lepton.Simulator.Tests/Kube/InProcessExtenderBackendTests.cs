using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.BestFit;
using Lepton.Scheduling.State;
using Lepton.Simulator.Kube;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Kube;

public class InProcessExtenderBackendTests
{
    private static (ClusterState State, InProcessExtenderBackend Sut) Create(ScoreMapping mapping = ScoreMapping.MinMax)
    {
        var state = new ClusterState();
        state.Load([Make.Node("empty", gpus: 2), Make.Node("half", gpus: 2), Make.Node("tiny", gpus: 1, cpuMilli: 1_000)], []);
        state.Place(Make.Pod("x", gpus: 1), "half", [0]);
        var sut = new InProcessExtenderBackend(new CandidateScoring(state, new BestFitScorer(), new FixedTypicalMix(FragmentationModel.Empty), mapping, seed: 1, cores: 1));
        return (state, sut);
    }

    [Fact]
    public async Task FilterAsync_CardLevelFit_PassesOnlyNodesThatFit()
    {
        var (_, sut) = Create();

        var result = await sut.FilterAsync(Make.Pod("p", gpus: 2), ["empty", "half", "tiny", "ghost"], CancellationToken.None);

        Assert.Equal(["empty"], result.NodeNames);
        Assert.StartsWith("Insufficient GPU", result.FailedNodes!["half"], StringComparison.Ordinal);
        Assert.StartsWith("Too few GPUs", result.FailedAndUnresolvableNodes!["tiny"], StringComparison.Ordinal);
        Assert.Equal(CandidateScoring.UnknownNodeMessage, result.FailedNodes["ghost"]);
    }

    [Fact]
    public async Task PrioritizeAsync_Scores_AreMappedToZeroToTen()
    {
        var (_, sut) = Create();

        var result = await sut.PrioritizeAsync(Make.Pod("p", gpus: 1), ["empty", "half"], CancellationToken.None);

        // BestFit prefers the fuller node: min-max 100 → 10, 0 → 0.
        Assert.Equal(["empty", "half"], result.Hosts);
        Assert.Equal([0L, 10L], result.Scores);
    }

    [Fact]
    public async Task BindAsync_AssumesThePlacementWithThePolicyCards()
    {
        var (state, sut) = Create();
        var pod = Make.Pod("p", gpus: 1);

        var bound = await sut.BindAsync(pod, "half", CancellationToken.None);
        var again = await sut.BindAsync(Make.Pod("q", gpus: 2), "half", CancellationToken.None);

        Assert.Equal(string.Empty, bound.Error);
        Assert.True(state.TryGetPod("p", out var placed));
        Assert.Equal([1], placed.Cards.ToArray());
        Assert.NotEqual(string.Empty, again.Error);
        Assert.Contains("no longer fits", again.Error, StringComparison.Ordinal);
    }
}
