using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.Gangs;

/// <summary>Gang admission through the API test server, kube-scheduler replayed against the extender.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class GangAdmissionTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_GangOfFourOnRoomForThree_StaysGatedUnschedulableWithReasonUntilRoomFrees()
    {
        _cluster.AddNodes(3, gpus: 8);
        _cluster.AddNodes(1, gpus: 8, prefix: "busy");
        _cluster.AddNodes(1, gpus: 2, prefix: "small");
        _cluster.AddNodes(1, gpus: 8, prefix: "v100", model: "NVIDIA-V100");
        _cluster.AddNodes(1, gpus: 0, prefix: "cpu");
        var blocker = _cluster.Server.Seed(RunningPod("blocker", "busy-3", gpus: 4));
        await _cluster.StartOperatorAsync();
        await _cluster.StartClusterAsync();

        _cluster.CreateJob(OperatorHarness.JobJson("llama", replicas: 4, gpus: 8, models: [OperatorHarness.GpuModel]));
        await _cluster.UntilJobAsync("llama", j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "is unschedulable");
        var waiting = _cluster.Job("llama")!;
        var gated = _cluster.PodsOf("llama");

        Assert.Equal(LeptonJobPhases.Scheduling, waiting.Status!.Phase);
        var condition = waiting.Status.FindCondition(LeptonJobConditionTypes.Unschedulable)!;
        Assert.Equal(LeptonJobConditionReasons.InsufficientResources, condition.Reason);
        Assert.Equal(
            "4 replicas must start together, each needing 8 GPUs (NVIDIA-A100-SXM4-80GB), 1 CPU, 1Gi memory; room for 3 now: "
            + "3 of 7 nodes have room for one; 1 have no nvidia.com/gpu GPUs; 1 are the wrong GPU model (NVIDIA-V100); "
            + "1 have too few GPUs (8 needed, 2 in total); 1 lack free GPUs (8 needed, 4 free)",
            condition.Message);
        Assert.Equal(condition.Message, waiting.Status.Message);
        Assert.Equal(4, gated.Count);
        Assert.All(gated, p => Assert.Contains(p.Spec.SchedulingGates, g => g.Name == LeptonJobKeys.GangSchedulingGate));
        Assert.All(gated, p => Assert.True(string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.DoesNotContain(_cluster.Server.Requests.Entries, r => r.Subresource == "binding");

        _cluster.Server.Delete("pods", "default", (string)blocker["metadata"]!["name"]!);
        await _cluster.UntilPhaseAsync("llama", LeptonJobPhases.Running);
        var pods = _cluster.PodsOf("llama");
        var running = _cluster.Job("llama")!;

        Assert.Equal(4, pods.Select(p => p.Spec.NodeName).Distinct().Count());
        Assert.All(pods, p => Assert.Equal(p.Spec.NodeName, p.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation]));
        Assert.Single(pods.Select(p => p.Metadata.Annotations[LeptonJobKeys.AdmittedAtAnnotation]).Distinct());
        Assert.Equal("32", running.Status!.Gpus);
        Assert.Equal(ConditionStatuses.False, running.Status.FindCondition(LeptonJobConditionTypes.Unschedulable)!.Status);
        Assert.Equal(4, _cluster.Server.Requests.Entries.Count(r => r is { Subresource: "binding", StatusCode: 201 }));
        var events = await _cluster.EventsAsync(running.Metadata.Uid, e => e.Count(x => x.Reason == "Bound") == 4 && e.Any(x => x.Reason == "Running"), "the job's events");
        Assert.Contains(events, e => e is { Type: "Warning", Reason: "Unschedulable" } && e.Note == "InsufficientResources: " + condition.Message);
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "GangAdmitted", ReportingController: "lepton.ai/gang-admission" } && e.Note.StartsWith("Gang admitted: 4 replicas admitted together", StringComparison.Ordinal));
        foreach (var pod in pods)
        {
            var podEvents = await _cluster.EventsAsync(pod.Metadata.Uid, e => e.Any(x => x.Reason == "GangAdmitted"), "the pod's admission event");
            Assert.EndsWith("reserved on node " + pod.Spec.NodeName, Assert.Single(podEvents).Note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReconcileAsync_TwoGangsForTheSameRoom_OnlyOneIsAdmittedAtATime()
    {
        _cluster.AddNodes(2, gpus: 8);
        await _cluster.StartOperatorAsync();

        _cluster.CreateJob(OperatorHarness.JobJson("first", replicas: 2, gpus: 8));
        _cluster.CreateJob(OperatorHarness.JobJson("second", replicas: 2, gpus: 8));
        await _cluster.Jobs.UntilAsync(
            c => c.List().Count(j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true) == 1
                && c.List().Count(j => j.Status?.FindCondition(LeptonJobConditionTypes.Scheduled)?.Reason == LeptonJobConditionReasons.GangAdmitted) == 1,
            "one gang is admitted and the other waits");
        // The job's status and the pods come through different watches: wait for the pods' side too.
        static List<k8s.Models.V1Pod> Reserved(Lepton.Operator.Controllers.Caching.IObjectCache<k8s.Models.V1Pod> pods) =>
            [.. pods.List().Where(p => p.Metadata.Annotations?.ContainsKey(LeptonJobKeys.ReservedNodeAnnotation) == true && (p.Spec.SchedulingGates?.Count ?? 0) == 0)];
        await _cluster.Pods.UntilAsync(c => Reserved(c).Count >= 2, "the admitted members show as reserved and ungated");

        var reserved = Reserved(_cluster.Pods.Cache);
        Assert.Equal(2, reserved.Count);
        Assert.Single(reserved.Select(p => p.Metadata.Labels[LeptonJobKeys.JobLabel]).Distinct());
        Assert.Equal(2, reserved.Select(p => p.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation]).Distinct().Count());
    }

    [Fact]
    public async Task ReconcileAsync_AdmittedMembersNotAllBoundInTime_DeletesTheBatchAndRecreatesItGated()
    {
        var clock = new TestClock();
        await using var driver = new ClockDriver(clock);
        _cluster.AddNodes(2, gpus: 8);
        var statuses = new List<V1Alpha1LeptonJobStatus>();
        using var recorder = _cluster.Jobs.Subscribe(e =>
        {
            if (e.NewObject?.Status is { } s)
            {
                lock (statuses)
                {
                    statuses.Add(s);
                }
            }
        });
        var replica = await _cluster.StartOperatorAsync(clock);

        _cluster.CreateJob(OperatorHarness.JobJson("gang", replicas: 2, gpus: 8));
        await _cluster.Pods.UntilAsync(c => _cluster.PodsOf("gang") is { Count: 2 } p && p.All(x => (x.Spec.SchedulingGates?.Count ?? 0) == 0), "both members are ungated");
        var admitted = _cluster.PodsOf("gang");
        var first = admitted[0];
        await _cluster.Client.CoreV1.CreateNamespacedPodBindingAsync(
            new V1Binding { Metadata = new V1ObjectMeta { Name = first.Metadata.Name }, Target = new V1ObjectReference { Kind = "Node", Name = first.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation] } },
            first.Metadata.Name,
            "default");
        await _cluster.Pods.UntilAsync(c => c.Get(new("default", first.Metadata.Name))?.Spec.NodeName is { Length: > 0 }, "the first member is bound");
        // The operator's own informer must have seen the binding too before the timeout fires (its cache, then
        // the cluster-state sync, are updated in that order), else it would count both members unbound.
        await UntilStateAsync(replica.State, s => s.TryGetPod(first.Metadata.Uid, out _));
        var timeoutIn = await clock.WaitForTimerAsync(t => t > TimeSpan.FromMinutes(1) && t <= TimeSpan.FromMinutes(2), Hang.Token());

        clock.Advance(timeoutIn);
        await _cluster.Pods.UntilAsync(
            c => _cluster.PodsOf("gang") is { Count: 2 } p && p.All(x => admitted.All(a => a.Metadata.Uid != x.Metadata.Uid)),
            "both members are replaced");
        var replaced = _cluster.PodsOf("gang");

        Assert.All(replaced, p => Assert.True(string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.All(replaced, p => Assert.Contains(p.Spec.SchedulingGates, g => g.Name == LeptonJobKeys.GangSchedulingGate));
        await _cluster.UntilJobAsync("gang", j => j.Status?.FindCondition(LeptonJobConditionTypes.Unschedulable)?.Reason == LeptonJobConditionReasons.GangTimeout, "shows the timeout");
        Assert.Equal(admitted.Select(p => p.Metadata.Name), replaced.Select(p => p.Metadata.Name));
        lock (statuses)
        {
            var timeout = Assert.Single(
                statuses.Select(s => s.FindCondition(LeptonJobConditionTypes.Unschedulable)).Where(c => c?.Reason == LeptonJobConditionReasons.GangTimeout).DistinctBy(c => c!.Message));
            Assert.Equal(ConditionStatuses.True, timeout!.Status);
            Assert.StartsWith($"1 of 2 admitted replicas were not bound within 2m0s: {admitted[1].Metadata.Name} (reserved on ", timeout.Message, StringComparison.Ordinal);
        }

        var events = await _cluster.EventsAsync(_cluster.Job("gang")!.Metadata.Uid, e => e.Any(x => x.Reason == "GangTimeout"), "the timeout event");
        Assert.Equal("Warning", Assert.Single(events, e => e.Reason == "GangTimeout").Type);
    }

    [Fact]
    public async Task ReconcileAsync_ReservedRoomTakenBeforeBinding_ReservesAnotherNodeAndTheGangStillStarts()
    {
        _cluster.AddNodes(3, gpus: 8);
        await _cluster.StartOperatorAsync();
        _cluster.CreateJob(OperatorHarness.JobJson("pair", replicas: 2, gpus: 8));
        await _cluster.Pods.UntilAsync(_ => _cluster.PodsOf("pair") is { Count: 2 } p && p.All(x => (x.Spec.SchedulingGates?.Count ?? 0) == 0), "both members are ungated");
        var first = _cluster.PodsOf("pair")[0];
        var stolen = first.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation];

        _cluster.Server.Seed(RunningPod("intruder", stolen, gpus: 8));
        await _cluster.Pods.UntilAsync(c => c.Get(new("default", first.Metadata.Name))?.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation] != stolen, "the member is reserved elsewhere");
        await _cluster.StartClusterAsync();
        await _cluster.UntilPhaseAsync("pair", LeptonJobPhases.Running);

        var pods = _cluster.PodsOf("pair");
        Assert.DoesNotContain(pods, p => p.Spec.NodeName == stolen);
        Assert.Equal(2, pods.Select(p => p.Spec.NodeName).Distinct().Count());
        Assert.All(pods, p => Assert.Equal(p.Spec.NodeName, p.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation]));
        Assert.DoesNotContain(_cluster.Server.Requests.Entries, r => r is { Verb: "delete", Resource: "pods" });
    }

    private static JsonObject RunningPod(string name, string node, int gpus) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["schedulerName"] = "default-scheduler",
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c",
                ["image"] = "busybox",
                ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            }),
        },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    };

    private static async Task UntilStateAsync(Lepton.Scheduling.State.ClusterState state, Func<Lepton.Scheduling.State.ClusterState, bool> condition)
    {
        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        state.Changed += OnChanged;
        try
        {
            using var limit = new CancellationTokenSource(Hang.Timeout);
            while (!condition(state))
            {
                await changed.WaitAsync(limit.Token);
            }
        }
        finally
        {
            state.Changed -= OnChanged;
            changed.Dispose();
        }
    }
}
