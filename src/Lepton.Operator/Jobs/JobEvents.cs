using System.Globalization;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;

namespace Lepton.Operator.Jobs;

/// <summary>
/// The Events a LeptonJob gets for its state changes, read off the status the job reconciler writes (before and
/// after), so that every replica derives the same events from the same facts (level-triggered; the recorder
/// deduplicates what a second pass or a second leader derives again):
/// <list type="bullet">
/// <item><see cref="ReasonBound"/>: a replica's pod got a node (kube-scheduler bound it through the extender);</item>
/// <item><see cref="ReasonUnschedulable"/> (Warning): the job waits for room; the note starts with the condition's reason
/// (<c>InsufficientResources</c>, <c>NoMatchingNodes</c>) and says what is missing. Gang admission reports its own
/// verdicts (admitted, timed out, preempting, preempted) when it acts, so those reasons are left to it;</item>
/// <item><see cref="ReasonRunning"/>, <see cref="ReasonSucceeded"/> and <see cref="ReasonFailed"/> (Warning, the note
/// starts with the failure's reason: <c>InvalidSpec</c>, <c>ReplicaFailed</c>, <c>MaxRuntimeExceeded</c>) on phase changes.</item>
/// </list>
/// The reconciler adds <see cref="ReasonCreated"/> for every pod it creates.
/// </summary>
public static class JobEvents
{
    /// <summary>The reporting controller of the job reconciler's events.</summary>
    public const string ReportingController = "lepton.ai/leptonjob-controller";

    /// <summary>A replica's pod was created (as the Job controller says it).</summary>
    public const string ReasonCreated = "SuccessfulCreate";

    /// <summary>A replica's pod was bound to a node.</summary>
    public const string ReasonBound = "Bound";

    /// <summary>The job waits for room.</summary>
    public const string ReasonUnschedulable = "Unschedulable";

    /// <summary>At least <c>minAvailable</c> replicas run.</summary>
    public const string ReasonRunning = "Running";

    /// <summary>Every replica succeeded.</summary>
    public const string ReasonSucceeded = "Succeeded";

    /// <summary>The job failed.</summary>
    public const string ReasonFailed = "Failed";

    private static readonly HashSet<string> GangReasons = new(StringComparer.Ordinal)
    {
        LeptonJobConditionReasons.GangAdmitted,
        LeptonJobConditionReasons.GangTimeout,
        LeptonJobConditionReasons.Preempting,
        LeptonJobConditionReasons.PreemptionBlocked,
        LeptonJobConditionReasons.Preempted,
    };

    /// <summary>The note of the event for a created pod.</summary>
    /// <param name="pod">The pod name.</param>
    /// <param name="index">The replica index.</param>
    /// <param name="attempt">The attempt (0 for the first).</param>
    /// <returns>The event.</returns>
    public static JobEvent Created(string pod, int index, int attempt) => new(
        EventTypes.Normal,
        ReasonCreated,
        "Create",
        attempt == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Created pod {pod} for replica {index}")
            : string.Create(CultureInfo.InvariantCulture, $"Created pod {pod} for replica {index} (attempt {attempt + 1})"));

    /// <summary>The events for a status change.</summary>
    /// <param name="before">The status the reconciler started from (null for a new job).</param>
    /// <param name="after">The status it wrote.</param>
    /// <returns>The events, in the order they happened.</returns>
    public static IReadOnlyList<JobEvent> Diff(V1Alpha1LeptonJobStatus? before, V1Alpha1LeptonJobStatus after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var events = new List<JobEvent>();
        var wasBound = (before?.ReplicaStatuses ?? [])
            .Where(r => r.NodeName is { Length: > 0 })
            .Select(r => (r.PodName, r.NodeName))
            .ToHashSet();
        foreach (var replica in (after.ReplicaStatuses ?? []).OrderBy(r => r.Index))
        {
            if (replica.NodeName is { Length: > 0 } node && replica.PodName is { Length: > 0 } pod && !wasBound.Contains((pod, node)))
            {
                events.Add(new JobEvent(
                    EventTypes.Normal,
                    ReasonBound,
                    "Bind",
                    string.Create(CultureInfo.InvariantCulture, $"Replica {replica.Index} (pod {pod}) bound to node {node}"),
                    node));
            }
        }

        var waiting = after.FindCondition(LeptonJobConditionTypes.Unschedulable);
        var waited = before?.FindCondition(LeptonJobConditionTypes.Unschedulable);
        if (waiting is { Status: ConditionStatuses.True } && !GangReasons.Contains(waiting.Reason ?? string.Empty)
            && (waited is not { Status: ConditionStatuses.True } || waited.Reason != waiting.Reason || waited.Message != waiting.Message))
        {
            events.Add(new JobEvent(EventTypes.Warning, ReasonUnschedulable, "Schedule", $"{waiting.Reason}: {waiting.Message}"));
        }

        if (after.Phase != before?.Phase)
        {
            switch (after.Phase)
            {
                case LeptonJobPhases.Running:
                    events.Add(new JobEvent(EventTypes.Normal, ReasonRunning, "Run", after.Message ?? "the job runs"));
                    break;
                case LeptonJobPhases.Succeeded:
                    events.Add(new JobEvent(EventTypes.Normal, ReasonSucceeded, "Complete", after.Message ?? "the job succeeded"));
                    break;
                case LeptonJobPhases.Failed:
                    var reason = after.FindCondition(LeptonJobConditionTypes.Failed)?.Reason;
                    events.Add(new JobEvent(EventTypes.Warning, ReasonFailed, "Fail", reason is { Length: > 0 } ? $"{reason}: {after.Message}" : after.Message ?? "the job failed"));
                    break;
            }
        }

        return events;
    }
}
