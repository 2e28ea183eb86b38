using k8s.Models;
using Lepton.Operator.Entities;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Entities;

public class StatusConditionsTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Set_NewCondition_AddsItWithNow()
    {
        var clock = new FakeTimeProvider(Start);
        var sut = new List<V1Condition>();

        var changed = StatusConditions.Set(sut, LeptonJobConditionTypes.Scheduled, ConditionStatuses.False, LeptonJobConditionReasons.WaitingForPlacement, "waiting", 3, clock);

        Assert.True(changed);
        var condition = Assert.Single(sut);
        Assert.Equal("Scheduled", condition.Type);
        Assert.Equal("False", condition.Status);
        Assert.Equal("WaitingForPlacement", condition.Reason);
        Assert.Equal("waiting", condition.Message);
        Assert.Equal(3, condition.ObservedGeneration);
        Assert.Equal(Start.UtcDateTime, condition.LastTransitionTime);
    }

    [Fact]
    public void Set_SameStatusNewReason_KeepsLastTransitionTime()
    {
        var clock = new FakeTimeProvider(Start);
        var sut = new List<V1Condition>();
        StatusConditions.Set(sut, "Unschedulable", "True", "InsufficientResources", "needs 8 GPUs", 1, clock);
        clock.Advance(TimeSpan.FromMinutes(5));

        var changed = StatusConditions.Set(sut, "Unschedulable", "True", "NoMatchingNodes", "no H100 nodes", 2, clock);

        Assert.True(changed);
        var condition = Assert.Single(sut);
        Assert.Equal(Start.UtcDateTime, condition.LastTransitionTime);
        Assert.Equal("NoMatchingNodes", condition.Reason);
        Assert.Equal("no H100 nodes", condition.Message);
        Assert.Equal(2, condition.ObservedGeneration);
    }

    [Fact]
    public void Set_StatusChanged_MovesLastTransitionTime()
    {
        var clock = new FakeTimeProvider(Start);
        var sut = new List<V1Condition>();
        StatusConditions.Set(sut, "Scheduled", "False", "WaitingForPlacement", "", 1, clock);
        clock.Advance(TimeSpan.FromSeconds(42));

        var changed = StatusConditions.Set(sut, "Scheduled", "True", "PodsScheduled", "4 of 4 bound", 1, clock);

        Assert.True(changed);
        Assert.Equal(Start.UtcDateTime.AddSeconds(42), Assert.Single(sut).LastTransitionTime);
    }

    [Fact]
    public void Set_NothingChanged_ReturnsFalse()
    {
        var clock = new FakeTimeProvider(Start);
        var sut = new List<V1Condition>();
        StatusConditions.Set(sut, "Running", "True", "PodsRunning", "ok", 1, clock);
        clock.Advance(TimeSpan.FromHours(1));

        var changed = StatusConditions.Set(sut, "Running", "True", "PodsRunning", "ok", 1, clock);

        Assert.False(changed);
        Assert.Equal(Start.UtcDateTime, Assert.Single(sut).LastTransitionTime);
    }

    [Fact]
    public void Set_SubSecondClock_StoresWholeSeconds()
    {
        var clock = new FakeTimeProvider(Start.AddMilliseconds(987));
        var sut = new List<V1Condition>();

        StatusConditions.Set(sut, "Running", "True", "PodsRunning", null, null, clock);

        Assert.Equal(Start.UtcDateTime, sut[0].LastTransitionTime);
        Assert.Equal(DateTimeKind.Utc, sut[0].LastTransitionTime.Kind);
        Assert.Equal(string.Empty, sut[0].Message);
    }

    [Fact]
    public void Set_OverlongMessage_IsCutToTheSchemaLimit()
    {
        var sut = new List<V1Condition>();

        StatusConditions.Set(sut, "Completed", "True", "Succeeded", new string('x', 40_000), 1, new FakeTimeProvider(Start));

        Assert.Equal(32768, sut[0].Message.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("1Leading")]
    [InlineData("Trailing,")]
    public void Set_InvalidReason_Throws(string reason)
    {
        Assert.Throws<ArgumentException>(() => StatusConditions.Set([], "Running", "True", reason, "", 1, new FakeTimeProvider(Start)));
    }

    [Theory]
    [InlineData("Yes")]
    [InlineData("true")]
    public void Set_InvalidStatus_Throws(string status)
    {
        Assert.Throws<ArgumentException>(() => StatusConditions.Set([], "Running", status, "PodsRunning", "", 1, new FakeTimeProvider(Start)));
    }

    [Fact]
    public void Set_InvalidType_Throws()
    {
        Assert.Throws<ArgumentException>(() => StatusConditions.Set([], "not a type!", "True", "PodsRunning", "", 1, new FakeTimeProvider(Start)));
    }

    [Fact]
    public void FindIsTrueRemove_WorkOnTheConditionOfAType()
    {
        var clock = new FakeTimeProvider(Start);
        var sut = new List<V1Condition>();
        StatusConditions.Set(sut, "Scheduled", "True", "PodsScheduled", "", 1, clock);
        StatusConditions.Set(sut, "Running", "False", "PodsNotRunning", "", 1, clock);

        Assert.True(StatusConditions.IsTrue(sut, "Scheduled"));
        Assert.False(StatusConditions.IsTrue(sut, "Running"));
        Assert.False(StatusConditions.IsTrue(sut, "Completed"));
        Assert.Null(StatusConditions.Find(sut, "Completed"));
        Assert.True(StatusConditions.Remove(sut, "Scheduled"));
        Assert.False(StatusConditions.Remove(sut, "Scheduled"));
        Assert.Equal("Running", Assert.Single(sut).Type);
    }

    [Fact]
    public void StatusSetCondition_NoConditionsYet_CreatesTheList()
    {
        var sut = new V1Alpha1LeptonJobStatus();

        var changed = sut.SetCondition(
            LeptonJobConditionTypes.Unschedulable,
            ConditionStatuses.True,
            LeptonJobConditionReasons.InsufficientResources,
            "4 replicas need 8 nvidia.com/gpu each; 1 of 12 nodes has 8 free (missing 8 GPUs on 3 more nodes)",
            7,
            new FakeTimeProvider(Start));

        Assert.True(changed);
        Assert.True(sut.IsConditionTrue(LeptonJobConditionTypes.Unschedulable));
        Assert.Equal(7, sut.FindCondition(LeptonJobConditionTypes.Unschedulable)!.ObservedGeneration);
    }

    [Fact]
    public void ConditionConstants_MatchMetav1ConditionRules()
    {
        var clock = new FakeTimeProvider(Start);
        var reasons = typeof(LeptonJobConditionReasons).GetFields().Select(f => (string)f.GetRawConstantValue()!);

        foreach (var type in LeptonJobConditionTypes.All)
        {
            foreach (var reason in reasons)
            {
                StatusConditions.Set([], type, ConditionStatuses.Unknown, reason, "", 1, clock); // throws when invalid
            }
        }
    }
}
