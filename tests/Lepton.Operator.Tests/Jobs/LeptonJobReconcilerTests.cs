using System.Text.Json.Nodes;
using k8s;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.Jobs;

/// <summary>The LeptonJob reconciler against the API test server (kube-scheduler and kubelets played where needed).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LeptonJobReconcilerTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(2, gpus: 8);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_InvalidSpec_FailsWithConditionFailedInvalidSpecAndCreatesNoPods()
    {
        await StartAsync();
        // The API server admits it (the template is schemaless); pods without containers could never be created.
        var job = OperatorHarness.JobJson("bad", replicas: 4);
        job["spec"]!["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray() } };

        _cluster.CreateJob(job);
        await _cluster.UntilPhaseAsync("bad", LeptonJobPhases.Failed);
        var failed = _cluster.Job("bad")!;

        var condition = failed.Status!.FindCondition(LeptonJobConditionTypes.Failed)!;
        Assert.Equal((ConditionStatuses.True, LeptonJobConditionReasons.InvalidSpec), (condition.Status, condition.Reason));
        Assert.Equal("invalid spec: spec.template.spec.containers: Required value: the pod template needs at least one container", condition.Message);
        Assert.Null(failed.Status.FindCondition(LeptonJobConditionTypes.Completed));
        Assert.Equal(condition.Message, failed.Status.Message);
        Assert.NotNull(failed.Status.CompletionTime);
        Assert.Empty(_cluster.PodsOf("bad"));
        var e = Assert.Single(await EventsOfAsync(failed, 1));
        Assert.Equal(("Warning", JobEvents.ReasonFailed), (e.Type, e.Reason));
        Assert.Equal("InvalidSpec: " + condition.Message, e.Note);
    }

    [Fact]
    public async Task ReconcileAsync_JobRuns_RecordsCreatedBoundAndRunningEventsOnTheJob()
    {
        await StartAsync(cluster: true);
        _cluster.CreateJob(OperatorHarness.JobJson("pair", replicas: 2));
        await _cluster.UntilPhaseAsync("pair", LeptonJobPhases.Running);
        var job = _cluster.Job("pair")!;

        // No duration predictor is registered here: its PredictionUnavailable event is JobPredictionServiceTests' subject.
        static bool Counted(k8s.Models.Eventsv1Event x) => x.ReportingController == JobEvents.ReportingController && x.Reason != Lepton.Operator.Prediction.JobPredictionService.ReasonUnavailable;
        var events = (await _cluster.EventsAsync(job.Metadata.Uid, e => e.Count(Counted) >= 5, "the job controller's events"))
            .Where(Counted).ToList();

        Assert.Equal(
            ["Bound", "Bound", "Running", "SuccessfulCreate", "SuccessfulCreate"],
            events.Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.Contains(events, e => e.Note == "Created pod pair-0 for replica 0");
        Assert.All(events.Where(e => e.Reason == "Bound"), e => Assert.Equal("Node", e.Related?.Kind));
    }

    private Task<IReadOnlyList<k8s.Models.Eventsv1Event>> EventsOfAsync(V1Alpha1LeptonJob job, int count) =>
        _cluster.EventsAsync(job.Metadata.Uid, e => e.Count >= count, $"{count} events on {job.Metadata.Name}");

    [Fact]
    public async Task ReconcileAsync_ReplicaFailsWithRestartPolicyNever_FailsTheJobAndStopsTheOtherReplicas()
    {
        await StartAsync(cluster: true);
        _cluster.CreateJob(OperatorHarness.JobJson("pair", replicas: 2));
        await _cluster.UntilPhaseAsync("pair", LeptonJobPhases.Running);

        _cluster.Kubelet!.Finish("default", "pair-0", "Failed");
        await _cluster.UntilPhaseAsync("pair", LeptonJobPhases.Failed);
        await _cluster.Pods.UntilAsync(c => c.Get(new("default", "pair-1")) is null, "the other replica is stopped");
        var failed = _cluster.Job("pair")!;

        var completed = failed.Status!.FindCondition(LeptonJobConditionTypes.Completed)!;
        Assert.Equal(LeptonJobConditionReasons.ReplicaFailed, completed.Reason);
        Assert.Equal("replica 0 (pod pair-0) failed", completed.Message);
        Assert.Equal(ConditionStatuses.False, failed.Status.FindCondition(LeptonJobConditionTypes.Running)!.Status);
        Assert.Equal("Failed", Assert.Single(_cluster.PodsOf("pair")).Status.Phase);
    }

    [Fact]
    public async Task ReconcileAsync_ReplicaFailsWithOnFailure_ReplacedByTheNextAttemptUntilTheRestartLimit()
    {
        await StartAsync(cluster: true, new() { ["Lepton:Operator:MaxRestarts"] = "1" });
        _cluster.CreateJob(OperatorHarness.JobJson("serve", type: LeptonJobTypes.Inference, restartPolicy: LeptonJobRestartPolicies.OnFailure));
        await _cluster.UntilPhaseAsync("serve", LeptonJobPhases.Running);

        _cluster.Kubelet!.Finish("default", "serve-0", "Failed");
        await _cluster.Pods.UntilAsync(c => c.Get(new("default", "serve-0-r1"))?.Status?.Phase == "Running", "the replacement runs");
        // The phase was Running before the failure too: wait for the status that names the replacement.
        await _cluster.UntilJobAsync("serve", j => j.Status?.Phase == LeptonJobPhases.Running && j.Status.ReplicaStatuses is [{ PodName: "serve-0-r1" }], "the status names the replacement");
        var replaced = _cluster.Job("serve")!;
        _cluster.Kubelet.Finish("default", "serve-0-r1", "Failed");
        await _cluster.UntilPhaseAsync("serve", LeptonJobPhases.Failed);
        var failed = _cluster.Job("serve")!;

        Assert.Equal("serve-0-r1", Assert.Single(replaced.Status!.ReplicaStatuses!).PodName);
        Assert.Equal("1", _cluster.Pods.Cache.Get(new("default", "serve-0-r1"))!.Metadata.Annotations[LeptonJobKeys.AttemptAnnotation]);
        Assert.Equal(
            "replica 0 (pod serve-0-r1) failed; 2 failures exceed the restart limit of 1",
            failed.Status!.FindCondition(LeptonJobConditionTypes.Completed)!.Message);
        Assert.Equal(2, _cluster.PodsOf("serve").Count);
    }

    [Fact]
    public async Task ReconcileAsync_MaxRuntimeExceeded_StopsTheReplicasAndFails()
    {
        var clock = new TestClock();
        await using var driver = new ClockDriver(clock);
        await StartAsync(cluster: true, time: clock);
        _cluster.CreateJob(OperatorHarness.JobJson("short", maxRuntime: "1h"));
        await _cluster.UntilPhaseAsync("short", LeptonJobPhases.Running);
        var started = _cluster.Job("short")!.Status!.StartTime!.Value;

        var left = await clock.WaitForTimerAsync(t => t > TimeSpan.FromMinutes(59) && t <= TimeSpan.FromHours(1), Hang.Token());
        clock.Advance(left);
        await _cluster.UntilPhaseAsync("short", LeptonJobPhases.Failed);
        await _cluster.Pods.UntilAsync(c => c.Get(new("default", "short-0")) is null, "the replica is stopped");
        var failed = _cluster.Job("short")!;

        var completed = failed.Status!.FindCondition(LeptonJobConditionTypes.Completed)!;
        Assert.Equal(LeptonJobConditionReasons.MaxRuntimeExceeded, completed.Reason);
        Assert.StartsWith("the job ran longer than maxRuntime 1h", completed.Message, StringComparison.Ordinal);
        Assert.True(failed.Status.CompletionTime!.Value - started >= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task ReconcileAsync_JobDeleted_DeletesPodsAndServiceThenRemovesTheFinalizer()
    {
        await StartAsync();
        _cluster.CreateJob(OperatorHarness.JobJson("dist", replicas: 3));
        await _cluster.Pods.UntilAsync(_ => _cluster.PodsOf("dist").Count == 3, "three pods exist");
        await _cluster.UntilJobAsync("dist", j => j.Metadata.Finalizers?.Contains(LeptonJobKeys.Finalizer) == true && j.Status?.Phase == LeptonJobPhases.Scheduling, "has its finalizer");
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("dist", "default");

        _cluster.Server.Delete("leptonjobs.lepton.ai", "default", "dist");
        await _cluster.Jobs.UntilAsync(c => c.Get(new("default", "dist")) is null, "the job is gone");
        await _cluster.Pods.UntilAsync(_ => _cluster.PodsOf("dist").Count == 0, "its pods are gone");

        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Null(_cluster.Server.Get("services", "default", "dist"));
        Assert.Contains(_cluster.Server.Requests.Entries, r => r is { Verb: "delete", Resource: "pods", Name: "dist-0" });
    }

    [Fact]
    public async Task ReconcileAsync_InferencePodRefusedByTheScheduler_JobUnschedulableWithItsReason()
    {
        await StartAsync();
        _cluster.CreateJob(OperatorHarness.JobJson("infer", type: LeptonJobTypes.Inference, replicas: 2, gpus: 1, gpuMilli: 250));
        await _cluster.Pods.UntilAsync(_ => _cluster.PodsOf("infer").Count == 2, "two pods exist");

        Assert.All(_cluster.PodsOf("infer"), p => Assert.True(p.Spec.SchedulingGates is null || p.Spec.SchedulingGates.Count == 0));
        _cluster.Server.Modify("pods", "default", "infer-1", p => p["status"]!["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = "Unschedulable",
            ["message"] = "0/2 nodes are available: 2 Insufficient GPU share.",
        }));
        await _cluster.UntilJobAsync("infer", j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "is unschedulable");
        var job = _cluster.Job("infer")!;

        Assert.Equal("0/2 nodes are available: 2 Insufficient GPU share.", job.Status!.FindCondition(LeptonJobConditionTypes.Unschedulable)!.Message);
        Assert.Equal(LeptonJobPhases.Scheduling, job.Status.Phase);
        Assert.Equal("250", _cluster.PodsOf("infer")[0].Metadata.Annotations["lepton.ai/gpu-milli"]);
    }

    [Fact]
    public async Task ReconcileAsync_StatusPatchesConflict_RequeuedUntilTheStatusIsWritten()
    {
        await StartAsync();
        _cluster.Server.Faults.FailNext(3, verb: "patch", resource: "leptonjobs/status", statusCode: 409, apiGroup: "lepton.ai");

        _cluster.CreateJob(OperatorHarness.JobJson("retry", replicas: 2));
        await _cluster.UntilPhaseAsync("retry", LeptonJobPhases.Scheduling);

        Assert.Equal(3, _cluster.Server.Requests.Entries.Count(r => r is { Subresource: "status", StatusCode: 409 }));
        Assert.Equal(2, _cluster.PodsOf("retry").Count);
    }

    private async Task StartAsync(bool cluster = false, Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        await _cluster.StartOperatorAsync(time, settings);
        if (cluster)
        {
            await _cluster.StartClusterAsync();
        }
        else
        {
            await _cluster.Jobs.ReadyAsync();
            await _cluster.Pods.ReadyAsync();
        }
    }
}
