using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Gangs;

namespace Lepton.Operator.Jobs;

/// <summary>
/// Computes a LeptonJob's status from its pods (docs/CRD.md, Phases and Conditions), and the merge patch
/// that writes it. Pure functions over cached objects; the statuses they change are private copies.
/// </summary>
internal static class JobStatusRules
{
    /// <summary>A deep copy of a status (cached objects are shared and must not be mutated).</summary>
    public static V1Alpha1LeptonJobStatus Clone(V1Alpha1LeptonJobStatus? status) =>
        status is null ? new V1Alpha1LeptonJobStatus() : KubernetesJson.Deserialize<V1Alpha1LeptonJobStatus>(KubernetesJson.Serialize(status));

    /// <summary>
    /// Moves the status to phase <c>Failed</c> with condition <c>Failed=True</c> and the given reason; a job that ran
    /// (any reason but <c>InvalidSpec</c>) also gets <c>Completed=True</c> with the same reason.
    /// </summary>
    public static void Fail(V1Alpha1LeptonJobStatus status, string reason, string message, long? generation, TimeProvider time)
    {
        status.Phase = LeptonJobPhases.Failed;
        status.Message = message;
        status.CompletionTime ??= Now(time);
        status.ObservedGeneration = generation;
        status.SetCondition(LeptonJobConditionTypes.Failed, ConditionStatuses.True, reason, message, generation, time);
        if (reason != LeptonJobConditionReasons.InvalidSpec)
        {
            status.SetCondition(LeptonJobConditionTypes.Completed, ConditionStatuses.True, reason, message, generation, time);
        }
        if (status.FindCondition(LeptonJobConditionTypes.Running) is not null)
        {
            status.SetCondition(LeptonJobConditionTypes.Running, ConditionStatuses.False, LeptonJobConditionReasons.PodsNotRunning, "the job failed", generation, time);
        }

        if (status.FindCondition(LeptonJobConditionTypes.Unschedulable) is { Status: ConditionStatuses.True })
        {
            status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.False, reason, "the job failed", generation, time);
        }
    }

    /// <summary>Recomputes phase, conditions, replica statuses and summaries of a job that is not finished.</summary>
    /// <param name="status">The status to update (a private copy).</param>
    /// <param name="job">The job.</param>
    /// <param name="current">The current pod of each replica, including pods created in this pass.</param>
    /// <param name="verdict">Gang admission's latest verdict, or null.</param>
    /// <param name="time">The clock.</param>
    public static void Update(V1Alpha1LeptonJobStatus status, V1Alpha1LeptonJob job, IReadOnlyDictionary<int, V1Pod> current, GangVerdict? verdict, TimeProvider time)
    {
        var spec = job.Spec;
        var generation = job.Metadata.Generation;
        var replicas = spec.Replicas;
        var min = Math.Clamp(spec.EffectiveMinAvailable(), 1, Math.Max(replicas, 1));
        var gang = JobPodBuilder.IsGang(job);

        var replicaStatuses = new List<V1Alpha1LeptonJobReplicaStatus>();
        int bound = 0, running = 0, succeeded = 0;
        foreach (var (index, pod) in current.OrderBy(kv => kv.Key))
        {
            var phase = PhaseOf(pod);
            var node = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName;
            replicaStatuses.Add(new V1Alpha1LeptonJobReplicaStatus { Index = index, PodName = pod.Metadata.Name, NodeName = node, Phase = phase });
            if (node is not null && phase is LeptonJobReplicaPhases.Pending or LeptonJobReplicaPhases.Running or LeptonJobReplicaPhases.Unknown)
            {
                bound++;
            }

            if (phase == LeptonJobReplicaPhases.Running)
            {
                running++;
            }
            else if (phase == LeptonJobReplicaPhases.Succeeded)
            {
                succeeded++;
            }
        }

        status.ReplicaStatuses = replicaStatuses;
        status.ObservedGeneration = generation;
        status.Gpus = LeptonJobStatusSummaries.FormatGpus(spec.Accelerators, bound);
        status.Nodes = LeptonJobStatusSummaries.FormatNodes(replicaStatuses);
        if (string.IsNullOrEmpty(status.Nodes))
        {
            status.Nodes = null;
        }

        var c = CultureInfo.InvariantCulture;
        var scheduledNeeded = gang ? min : replicas;
        var placed = bound + succeeded;
        if (placed >= scheduledNeeded && current.Count > 0)
        {
            status.SetCondition(LeptonJobConditionTypes.Scheduled, ConditionStatuses.True, LeptonJobConditionReasons.PodsScheduled, string.Create(c, $"{placed} of {replicas} replicas bound to nodes"), generation, time);
            if (status.FindCondition(LeptonJobConditionTypes.Unschedulable) is not null)
            {
                status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.False, LeptonJobConditionReasons.PodsScheduled, string.Empty, generation, time);
            }
        }
        else
        {
            var admitted = gang && verdict?.Kind == GangVerdictKind.Admitted;
            status.SetCondition(
                LeptonJobConditionTypes.Scheduled,
                ConditionStatuses.False,
                admitted ? LeptonJobConditionReasons.GangAdmitted : LeptonJobConditionReasons.WaitingForPlacement,
                string.Create(c, $"{placed} of {replicas} replicas bound, {scheduledNeeded} needed"),
                generation,
                time);
            UpdateUnschedulable(status, gang, current.Values, verdict, generation, time);
        }

        if (succeeded == replicas && replicas > 0)
        {
            status.Phase = LeptonJobPhases.Succeeded;
            status.CompletionTime ??= Now(time);
            status.Message = string.Create(c, $"all {replicas} replicas succeeded");
            status.SetCondition(LeptonJobConditionTypes.Completed, ConditionStatuses.True, LeptonJobConditionReasons.Succeeded, status.Message, generation, time);
            if (status.FindCondition(LeptonJobConditionTypes.Running) is not null)
            {
                status.SetCondition(LeptonJobConditionTypes.Running, ConditionStatuses.False, LeptonJobConditionReasons.Succeeded, status.Message, generation, time);
            }

            return;
        }

        if (running > 0 && running + succeeded >= min)
        {
            status.Phase = LeptonJobPhases.Running;
            status.StartTime ??= Now(time);
            status.Message = string.Create(c, $"{running} of {replicas} replicas running");
            status.SetCondition(LeptonJobConditionTypes.Running, ConditionStatuses.True, LeptonJobConditionReasons.PodsRunning, status.Message, generation, time);
            return;
        }

        status.Phase = current.Count == 0 ? LeptonJobPhases.Pending : LeptonJobPhases.Scheduling;
        status.Message = status.FindCondition(LeptonJobConditionTypes.Unschedulable) is { Status: ConditionStatuses.True } unschedulable
            ? unschedulable.Message
            : string.Create(c, $"{placed} of {replicas} replicas bound, {running} running");
        if (status.FindCondition(LeptonJobConditionTypes.Running) is not null || current.Count > 0)
        {
            status.SetCondition(LeptonJobConditionTypes.Running, ConditionStatuses.False, LeptonJobConditionReasons.PodsNotRunning, string.Create(c, $"{running} of {min} needed replicas running"), generation, time);
        }
    }

    /// <summary>
    /// The merge patch that turns the job's status into <paramref name="updated"/> (null when equal): the
    /// whole new status, with explicit nulls for fields that disappeared, and the resourceVersion the status
    /// was computed from as a precondition.
    /// </summary>
    public static JsonObject? Patch(V1Alpha1LeptonJob job, V1Alpha1LeptonJobStatus updated)
    {
        var before = job.Status is null ? null : JsonNode.Parse(KubernetesJson.Serialize(job.Status)) as JsonObject;
        var after = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(updated))!;
        if (JsonNode.DeepEquals(before, after))
        {
            return null;
        }

        if (before is not null)
        {
            foreach (var (name, _) in before)
            {
                if (!after.ContainsKey(name))
                {
                    after[name] = null;
                }
            }
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = job.Metadata.ResourceVersion },
            ["status"] = after,
        };
    }

    /// <summary>The replica phase of a pod.</summary>
    public static string PhaseOf(V1Pod pod) => pod.Status?.Phase switch
    {
        "Running" => LeptonJobReplicaPhases.Running,
        "Succeeded" => LeptonJobReplicaPhases.Succeeded,
        "Failed" => LeptonJobReplicaPhases.Failed,
        "Unknown" => LeptonJobReplicaPhases.Unknown,
        _ => LeptonJobReplicaPhases.Pending,
    };

    /// <summary>The current time in whole seconds (what the API server stores for date-time fields).</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static void UpdateUnschedulable(V1Alpha1LeptonJobStatus status, bool gang, IEnumerable<V1Pod> pods, GangVerdict? verdict, long? generation, TimeProvider time)
    {
        if (gang)
        {
            switch (verdict?.Kind)
            {
                case GangVerdictKind.Waiting or GangVerdictKind.TimedOut or GangVerdictKind.Preempted:
                    status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.True, verdict.Reason, verdict.Message, generation, time);
                    break;
                case GangVerdictKind.Admitted:
                    status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.False, LeptonJobConditionReasons.GangAdmitted, verdict.Message, generation, time);
                    break;
            }

            return;
        }

        // Independent replicas: kube-scheduler reports on each pod; the first refusal speaks for the job.
        var refused = pods
            .Select(p => p.Status?.Conditions?.FirstOrDefault(k => k.Type == "PodScheduled" && k.Status == "False" && k.Reason == "Unschedulable"))
            .FirstOrDefault(k => k is not null);
        if (refused is not null)
        {
            status.SetCondition(LeptonJobConditionTypes.Unschedulable, ConditionStatuses.True, LeptonJobConditionReasons.InsufficientResources, refused.Message, generation, time);
        }
    }
}
