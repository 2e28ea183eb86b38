using System.Text.Json.Nodes;
using Lepton.Operator.Entities;
using Lepton.Operator.Gangs;
using Lepton.Operator.Jobs;
using Lepton.Operator.Tests.EndToEnd;

namespace Lepton.Operator.Tests.Gangs;

/// <summary>Gang priority and whole-gang preemption through the API test server (Priority admission, PDBs, evictions).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class GangPreemptorTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.Server.Create(PriorityClass("low", 10));
        _cluster.Server.Create(PriorityClass("high", 1000));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_HighPriorityGangBehindEarlierLowPriorityGangs_IsAdmittedFirstWhenRoomFrees()
    {
        _cluster.AddNodes(1, gpus: 8);
        var blocker = _cluster.Server.Seed(RunningPod("blocker", "gpu-0", gpus: 8, priority: 1_000_000));
        var ungatedLow = new List<string>();
        using var watch = _cluster.Pods.Subscribe(e =>
        {
            if (e.NewObject is { } p && p.Metadata.Labels is { } l && l.TryGetValue(LeptonJobKeys.JobLabel, out var job) && job.StartsWith("low", StringComparison.Ordinal)
                && (p.Spec.SchedulingGates?.Count ?? 0) == 0)
            {
                lock (ungatedLow)
                {
                    ungatedLow.Add(p.Metadata.Name);
                }
            }
        });
        await _cluster.StartOperatorAsync();
        foreach (var name in new[] { "low-a", "low-b", "low-c" })
        {
            _cluster.CreateJob(Job(name, "low", replicas: 2, gpus: 4));
            await _cluster.UntilJobAsync(name, j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "is unschedulable");
        }

        _cluster.CreateJob(Job("high", "high", replicas: 2, gpus: 4));
        await _cluster.UntilJobAsync("high", j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "is unschedulable");
        Assert.All(_cluster.PodsOf("high"), p => Assert.Equal(1000, p.Spec.Priority));

        _cluster.Server.Delete("pods", "default", (string)blocker["metadata"]!["name"]!);
        await _cluster.UntilJobAsync("high", j => j.Status?.FindCondition(LeptonJobConditionTypes.Scheduled)?.Reason == LeptonJobConditionReasons.GangAdmitted, "is admitted");
        foreach (var name in new[] { "low-a", "low-b", "low-c" })
        {
            await _cluster.UntilJobAsync(name, j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "still waits");
        }

        Assert.All(_cluster.PodsOf("high"), p => Assert.Equal("gpu-0", p.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation]));
        lock (ungatedLow)
        {
            Assert.Empty(ungatedLow);
        }

        Assert.DoesNotContain(_cluster.Server.Requests.Entries, r => r.Subresource == "eviction");
    }

    [Fact]
    public async Task ReconcileAsync_FullClusterHighPriorityGang_PreemptsTheWholeLowerPriorityGangOnly()
    {
        _cluster.AddNodes(3, gpus: 8);
        await _cluster.StartOperatorAsync();
        await _cluster.StartClusterAsync();
        _cluster.CreateJob(Job("low", "low", replicas: 2, gpus: 8));
        await _cluster.UntilPhaseAsync("low", LeptonJobPhases.Running);
        _cluster.CreateJob(Job("peer", "high", replicas: 1, gpus: 8));
        await _cluster.UntilPhaseAsync("peer", LeptonJobPhases.Running);
        var lowBefore = _cluster.PodsOf("low").Select(p => p.Metadata.Uid).ToList();
        var peerBefore = _cluster.PodsOf("peer").Select(p => p.Metadata.Uid).ToList();

        _cluster.CreateJob(Job("high", "high", replicas: 2, gpus: 8));
        await _cluster.UntilPhaseAsync("high", LeptonJobPhases.Running);

        Assert.Equal(peerBefore, _cluster.PodsOf("peer").Select(p => p.Metadata.Uid));
        Assert.DoesNotContain(_cluster.PodsOf("low"), p => lowBefore.Contains(p.Metadata.Uid));
        var evicted = _cluster.Server.Requests.Entries.Where(r => r is { Subresource: "eviction", StatusCode: 201 }).Select(r => r.Name).ToList();
        Assert.All(evicted, name => Assert.StartsWith("low-", name, StringComparison.Ordinal));
        // Both members, nothing else: two dry runs, then two evictions; a reconcile retried on a busy machine (a status
        // conflict) may dry-run the same two again before evicting, so the count is at least four, the pods exactly two.
        Assert.Equal(["low-0", "low-1"], evicted.Distinct().Order(StringComparer.Ordinal));
        Assert.True(evicted.Count >= 4, $"{evicted.Count} eviction calls");
        var events = _cluster.Server.List("events.events.k8s.io", "default");
        var preempting = Assert.Single(events, e => (string?)e["reason"] == GangEventRecorder.ReasonPreempting);
        Assert.Equal("high", (string?)preempting["regarding"]!["name"]);
        Assert.Equal("preempting gang default/low (2 pods) (priority below 1000) to make room", (string?)preempting["note"]);
        var preempted = Assert.Single(events, e => (string?)e["reason"] == GangEventRecorder.ReasonPreempted);
        Assert.Equal(("LeptonJob", "low"), ((string?)preempted["regarding"]!["kind"], (string?)preempted["regarding"]!["name"]));
        Assert.Equal("preempted by higher-priority job default/high (priority 1000 > 10)", (string?)preempted["note"]);
        await _cluster.UntilJobAsync("low", j => j.Status?.FindCondition(LeptonJobConditionTypes.Unschedulable)?.Reason == LeptonJobConditionReasons.Preempted, "says it was preempted");
        Assert.All(_cluster.PodsOf("low"), p => Assert.Contains(p.Spec.SchedulingGates, g => g.Name == LeptonJobKeys.GangSchedulingGate));
    }

    [Fact]
    public async Task ReconcileAsync_BudgetBlocksOneMember_NoMemberIsEvictedAndTheReasonIsOnTheJob()
    {
        _cluster.AddNodes(2, gpus: 8);
        await _cluster.StartOperatorAsync();
        await _cluster.StartClusterAsync();
        _cluster.CreateJob(Job("low", "low", replicas: 2, gpus: 8));
        await _cluster.UntilPhaseAsync("low", LeptonJobPhases.Running);
        var lowBefore = _cluster.PodsOf("low").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        // The budget protects only the second member: the first one's dry run passes, the second one's is refused.
        _cluster.Server.Create(Budget("guard", lowBefore[1].Metadata.Labels[LeptonJobKeys.ReplicaIndexLabel]));

        _cluster.CreateJob(Job("high", "high", replicas: 2, gpus: 8));
        await _cluster.UntilJobAsync("high", j => j.Status?.FindCondition(LeptonJobConditionTypes.Unschedulable)?.Reason == LeptonJobConditionReasons.PreemptionBlocked, "says preemption is blocked");

        var condition = _cluster.Job("high")!.Status!.FindCondition(LeptonJobConditionTypes.Unschedulable)!;
        Assert.StartsWith($"preempting gang default/low (2 pods) would make room, but evicting pod default/{lowBefore[1].Metadata.Name} of gang default/low (2 pods) is refused (429: ", condition.Message, StringComparison.Ordinal);
        Assert.EndsWith("; no pod was evicted", condition.Message, StringComparison.Ordinal);
        Assert.Equal(lowBefore.Select(p => p.Metadata.Uid), _cluster.PodsOf("low").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => p.Metadata.Uid));
        var evictions = _cluster.Server.Requests.Entries.Where(r => r.Subresource == "eviction").ToList();
        Assert.Contains(evictions, r => r.Name == lowBefore[0].Metadata.Name && r.StatusCode == 201);
        Assert.Contains(evictions, r => r.Name == lowBefore[1].Metadata.Name && r.StatusCode == 429);
        Assert.Equal(LeptonJobPhases.Running, _cluster.Job("low")!.Status!.Phase);
        Assert.All(_cluster.PodsOf("high"), p => Assert.Contains(p.Spec.SchedulingGates, g => g.Name == LeptonJobKeys.GangSchedulingGate));
    }

    private static JsonObject Job(string name, string priorityClass, int replicas, int gpus)
    {
        var job = OperatorHarness.JobJson(name, replicas: replicas, gpus: gpus);
        job["spec"]!["priorityClassName"] = priorityClass;
        return job;
    }

    private static JsonObject PriorityClass(string name, int value) => new()
    {
        ["apiVersion"] = "scheduling.k8s.io/v1",
        ["kind"] = "PriorityClass",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["value"] = value,
    };

    private static JsonObject Budget(string name, string replicaIndex) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "PodDisruptionBudget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["minAvailable"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [LeptonJobKeys.JobLabel] = "low", [LeptonJobKeys.ReplicaIndexLabel] = replicaIndex } },
        },
    };

    private static JsonObject RunningPod(string name, string node, int gpus, int priority) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["priority"] = priority,
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
}
