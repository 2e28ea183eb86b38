using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.BestFit;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Scoring;

/// <summary>Room gang admission holds in the cluster state is the member's, and nobody else's.</summary>
public class CandidateScoringTests
{
    private readonly ClusterState _state = new();
    private readonly CandidateScoring _sut;

    public CandidateScoringTests()
    {
        _state.UpsertNode(Make.Node("exact", gpus: 2));
        _state.UpsertNode(Make.Node("spare", gpus: 8));
        _sut = new CandidateScoring(_state, new BestFitScorer(), new FixedTypicalMix(FragmentationModel.Empty), ScoreMapping.StableRank, seed: 1, cores: 1);
    }

    [Fact]
    public void Fit_ReservationAssumedForAGangMember_NonMemberIsRefusedTheRoomAndTheMemberFitsIt()
    {
        var member = Make.Pod(gpus: 2) with { Gang = "g", ReservedNode = "exact" };
        Assert.True(_sut.Assume(member, "exact").Succeeded);
        var stranger = Make.Pod(gpus: 2);

        using var candidates = _sut.Resolve(["exact", "spare"]);
        var nodes = new NodeState?[2];
        var strangerCodes = new FitCode[2];
        var memberCodes = new FitCode[2];
        _sut.Fit(stranger, candidates, nodes, strangerCodes);
        _sut.Fit(member, candidates, nodes, memberCodes);
        var scores = new long[2];
        _sut.Score(member, candidates, scores);

        Assert.Equal([FitCode.InsufficientGpu, FitCode.Fits], strangerCodes);
        Assert.Equal([FitCode.Fits, FitCode.ReservedElsewhere], memberCodes);
        Assert.True(scores[0] > 0);
        Assert.Equal(0, scores[1]);
        Assert.True(_sut.Assume(member, "exact").Succeeded);
        Assert.False(_sut.Assume(stranger, "exact").Succeeded);
    }

    [Fact]
    public void Fit_SameUidWithoutReservation_GetsNoFreeRoom()
    {
        var member = Make.Pod(gpus: 2) with { ReservedNode = "exact" };
        Assert.True(_sut.Assume(member, "exact").Succeeded);

        using var candidates = _sut.Resolve(["exact"]);
        var codes = new FitCode[1];
        _sut.Fit(member with { ReservedNode = null }, candidates, new NodeState?[1], codes);

        Assert.Equal(FitCode.InsufficientGpu, codes[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Score_DeadlineAlreadyPassed_ThrowsBeforeThePolicyScoresAnyNode(int cores)
    {
        var state = ManyNodes(2_000);
        var scorer = new CountingScorer();
        var sut = new CandidateScoring(state, scorer, new FixedTypicalMix(FragmentationModel.Empty), ScoreMapping.StableRank, seed: 1, cores: cores);
        using var candidates = sut.Resolve(Enumerable.Range(0, 2_000).Select(i => $"n{i}").ToList());
        using var deadline = new CancellationTokenSource();
        deadline.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => sut.Score(Make.Pod(gpus: 1), candidates, new long[2_000], deadline.Token));
        Assert.Equal(0, scorer.NodesScored);

        sut.Score(Make.Pod(gpus: 1), candidates, new long[2_000], CancellationToken.None);
        Assert.Equal(2_000, scorer.NodesScored);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Fit_DeadlineAlreadyPassed_Throws(int cores)
    {
        // Large enough for the fit pass to be split over cores when there are several.
        const int Count = BatchPartition.MinParallelFitNodes;
        var state = ManyNodes(Count);
        var sut = new CandidateScoring(state, new CountingScorer(), new FixedTypicalMix(FragmentationModel.Empty), ScoreMapping.StableRank, seed: 1, cores: cores);
        using var candidates = sut.Resolve(Enumerable.Range(0, Count).Select(i => $"n{i}").ToList());
        using var deadline = new CancellationTokenSource();
        deadline.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => sut.Fit(Make.Pod(gpus: 1), candidates, new NodeState?[Count], new FitCode[Count], deadline.Token));
    }

    [Fact]
    public void Fit_LargeBatchOnSeveralCores_SameCodesAsOneCore()
    {
        const int Count = BatchPartition.MinParallelFitNodes + 300;
        var state = new ClusterState();
        var random = new Random(5);
        for (var i = 0; i < Count; i++)
        {
            state.UpsertNode(Make.Node($"n{i}", gpus: 1 << random.Next(0, 4), cpuMilli: 1_000 * random.Next(1, 9)));
        }

        var names = Enumerable.Range(0, Count + 2).Select(i => $"n{i}").ToList();
        var pod = Make.Pod(gpus: 2, cpuMilli: 3_000);
        var one = new CandidateScoring(state, new CountingScorer(), new FixedTypicalMix(FragmentationModel.Empty), ScoreMapping.StableRank, seed: 1, cores: 1);
        var sut = new CandidateScoring(state, new CountingScorer(), new FixedTypicalMix(FragmentationModel.Empty), ScoreMapping.StableRank, seed: 1, cores: 4);
        var (expectedNodes, expectedCodes) = (new NodeState?[names.Count], new FitCode[names.Count]);
        var (nodes, codes) = (new NodeState?[names.Count], new FitCode[names.Count]);
        using (var candidates = one.Resolve(names))
        {
            one.Fit(pod, candidates, expectedNodes, expectedCodes);
        }

        using (var candidates = sut.Resolve(names))
        {
            sut.Fit(pod, candidates, nodes, codes);
        }

        Assert.True(BatchPartition.FitPartCount(names.Count, 4) > 1);
        Assert.Equal(expectedCodes, codes);
        Assert.Equal(expectedNodes, nodes);
        Assert.Contains(FitCode.Fits, codes);
        Assert.Contains(FitCode.TooFewGpuCards, codes);
    }

    private static ClusterState ManyNodes(int count)
    {
        var state = new ClusterState();
        for (var i = 0; i < count; i++)
        {
            state.UpsertNode(Make.Node($"n{i}", gpus: 8));
        }

        return state;
    }

    /// <summary>Counts the nodes the policy was asked to score (thread-safe: parallel chunks call it).</summary>
    private sealed class CountingScorer : NodeScorer
    {
        private int _nodesScored;

        public override string Name => "Counting";

        public override bool ScoresNodesIndependently => true;

        public int NodesScored => Volatile.Read(ref _nodesScored);

        public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
        {
            Interlocked.Add(ref _nodesScored, nodes.Length);
            scores.Fill(50);
        }
    }
}
