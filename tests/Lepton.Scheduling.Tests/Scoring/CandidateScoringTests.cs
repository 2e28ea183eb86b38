using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
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
}
