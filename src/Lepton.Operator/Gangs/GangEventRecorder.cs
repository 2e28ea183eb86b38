using k8s.Models;
using Lepton.Operator.Events;

namespace Lepton.Operator.Gangs;

/// <summary>
/// Records what gang admission and preemption did as <c>events.k8s.io/v1</c> Events (deduplicated and rate-limited by
/// an <see cref="EventRecorder"/>), reported by controller <see cref="ReportingController"/>: on an admitted gang
/// (<see cref="ReasonAdmitted"/>) and one whose members were not bound in time (<see cref="ReasonTimeout"/>); on the preempting job (<see cref="ReasonPreempting"/>,
/// <see cref="ReasonPreemptionBlocked"/>) and on each victim job or pod (<see cref="ReasonPreempted"/>). The job's
/// condition says the same until gang admission decides again; the events stay. Best effort: a failure is logged
/// and never stops admission.
/// </summary>
public sealed class GangEventRecorder
{
    /// <summary>The reporting controller of every event.</summary>
    public const string ReportingController = "lepton.ai/gang-admission";

    /// <summary>The reason of the event on a gang that evicts lower-priority gangs or pods.</summary>
    public const string ReasonPreempting = "Preempting";

    /// <summary>The reason of the event on a gang whose preemption a PodDisruptionBudget (or an error) refused.</summary>
    public const string ReasonPreemptionBlocked = "PreemptionBlocked";

    /// <summary>The reason of the event on a job or pod evicted for a higher-priority gang.</summary>
    public const string ReasonPreempted = "Preempted";

    /// <summary>The reason of the event on a gang whose members were admitted together (reserved nodes, gates lifted).</summary>
    public const string ReasonAdmitted = "GangAdmitted";

    /// <summary>The reason of the event on a gang whose admitted members were not all bound in time.</summary>
    public const string ReasonTimeout = "GangTimeout";

    private readonly EventRecorder _recorder;

    /// <summary>Creates the recorder.</summary>
    /// <param name="recorders">Makes the operator's recorders (this replica's identity, the <c>Lepton:Events</c> limits).</param>
    public GangEventRecorder(EventRecorderFactory recorders)
    {
        ArgumentNullException.ThrowIfNull(recorders);
        _recorder = recorders.Create(ReportingController);
    }

    /// <summary>Creates one event regarding <paramref name="regarding"/> (a LeptonJob or a Pod, namespaced).</summary>
    /// <param name="regarding">The object.</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason">One of the <c>Reason…</c> constants.</param>
    /// <param name="action">What was done: <c>Preempt</c>, <c>Evict</c>.</param>
    /// <param name="note">The human-readable note (truncated to 1 KiB).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>True when the event was created or, for a repeat, its series updated.</returns>
    public async Task<bool> RecordAsync(V1ObjectReference regarding, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        ArgumentNullException.ThrowIfNull(note);
        return await _recorder.RecordAsync(regarding, null, type, reason, action, note, cancellationToken).ConfigureAwait(false) is EventOutcome.Created or EventOutcome.SeriesUpdated;
    }
}
