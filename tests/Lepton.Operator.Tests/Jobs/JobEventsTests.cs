using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Jobs;

public sealed class JobEventsTests
{
    private readonly FakeTimeProvider _time = new();

    private V1Alpha1LeptonJobStatus Status(string phase, (int Index, string Pod, string? Node)[]? replicas = null, (string Reason, string Message)? unschedulable = null, string? failedReason = null, string? message = null)
    {
        var status = new V1Alpha1LeptonJobStatus
        {
            Phase = phase,
            Message = message,
            ReplicaStatuses = [.. (replicas ?? []).Select(r => new V1Alpha1LeptonJobReplicaStatus { Index = r.Index, PodName = r.Pod, NodeName = r.Node })],
        };
        if (unschedulable is { } u)
        {
            status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.True, u.Reason, u.Message, 1, _time);
        }

        if (failedReason is not null)
        {
            status.SetCondition(LeptonJobConditionTypes.Failed, ConditionStatuses.True, failedReason, message ?? string.Empty, 1, _time);
        }

        return status;
    }

    [Fact]
    public void Diff_ReplicaGetsANode_OneBoundEventPerNewlyBoundReplica()
    {
        var before = Status(LeptonJobPhases.Scheduling, [(0, "train-0", "gpu-1"), (1, "train-1", null)]);
        var after = Status(LeptonJobPhases.Scheduling, [(0, "train-0", "gpu-1"), (1, "train-1", "gpu-2")]);

        var sut = JobEvents.Diff(before, after);

        var e = Assert.Single(sut);
        Assert.Equal(new JobEvent(EventTypes.Normal, JobEvents.ReasonBound, "Bind", "Replica 1 (pod train-1) bound to node gpu-2", "gpu-2"), e);
    }

    [Fact]
    public void Diff_BecomesUnschedulable_WarningWithTheConditionsReason()
    {
        var after = Status(LeptonJobPhases.Scheduling, unschedulable: (LeptonJobConditionReasons.InsufficientResources, "1 replica needs 8 nvidia.com/gpu; no node has 8 free"));

        var sut = JobEvents.Diff(Status(LeptonJobPhases.Pending), after);

        var e = Assert.Single(sut);
        Assert.Equal((EventTypes.Warning, JobEvents.ReasonUnschedulable), (e.Type, e.Reason));
        Assert.Equal("InsufficientResources: 1 replica needs 8 nvidia.com/gpu; no node has 8 free", e.Note);
    }

    [Fact]
    public void Diff_StillUnschedulableForTheSameReason_NoEvent()
    {
        var before = Status(LeptonJobPhases.Scheduling, unschedulable: (LeptonJobConditionReasons.InsufficientResources, "no room"));
        var after = Status(LeptonJobPhases.Scheduling, unschedulable: (LeptonJobConditionReasons.InsufficientResources, "no room"));

        Assert.Empty(JobEvents.Diff(before, after));
    }

    [Theory]
    [InlineData(LeptonJobConditionReasons.GangTimeout)]
    [InlineData(LeptonJobConditionReasons.Preempted)]
    [InlineData(LeptonJobConditionReasons.Preempting)]
    public void Diff_GangVerdictReasons_LeftToGangAdmission(string reason)
    {
        var after = Status(LeptonJobPhases.Scheduling, unschedulable: (reason, "gang says why"));

        Assert.Empty(JobEvents.Diff(Status(LeptonJobPhases.Scheduling), after));
    }

    [Fact]
    public void Diff_FailsWithInvalidSpec_WarningNamingTheReason()
    {
        var after = Status(LeptonJobPhases.Failed, failedReason: LeptonJobConditionReasons.InvalidSpec, message: "invalid spec: no containers");

        var e = Assert.Single(JobEvents.Diff(null, after));

        Assert.Equal(new JobEvent(EventTypes.Warning, JobEvents.ReasonFailed, "Fail", "InvalidSpec: invalid spec: no containers"), e);
    }

    [Theory]
    [InlineData(LeptonJobPhases.Running, JobEvents.ReasonRunning)]
    [InlineData(LeptonJobPhases.Succeeded, JobEvents.ReasonSucceeded)]
    public void Diff_PhaseChanges_NormalEvent(string phase, string reason)
    {
        var e = Assert.Single(JobEvents.Diff(Status(LeptonJobPhases.Scheduling), Status(phase, message: "m")));

        Assert.Equal((EventTypes.Normal, reason, "m"), (e.Type, e.Reason, e.Note));
    }

    [Fact]
    public void Diff_SamePhase_NoEvent()
    {
        Assert.Empty(JobEvents.Diff(Status(LeptonJobPhases.Running, message: "1 of 1 replicas running"), Status(LeptonJobPhases.Running, message: "1 of 1 replicas running")));
    }

    [Theory]
    [InlineData(0, "Created pod train-0 for replica 0")]
    [InlineData(2, "Created pod train-0 for replica 0 (attempt 3)")]
    public void Created_Attempt_SaysWhichPod(int attempt, string note)
    {
        Assert.Equal(note, JobEvents.Created("train-0", 0, attempt).Note);
    }
}
