using k8s.Models;
using Lepton.Operator.Events;
using Lepton.Scheduling.Inventory;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Records what the rebalancer did to a pod as an <c>events.k8s.io/v1</c> Event regarding the pod (related: the
/// node it ran on), reported by controller <see cref="ReportingController"/>: reason <see cref="ReasonRebalance"/>
/// for a move made (or, in dry-run mode, one that would be made), <see cref="ReasonRebalanceSkipped"/> for one
/// refused. Deduplicated and rate-limited per pod by an <see cref="EventRecorder"/> (the same repeated every cycle
/// in dry-run mode becomes one event with a count). Events are best effort: a failure is logged and never stops the cycle.
/// </summary>
public sealed class RebalanceEventRecorder
{
    /// <summary>The reporting controller of every event.</summary>
    public const string ReportingController = "lepton.ai/rebalancer";

    /// <summary>The reason of an event for a move made or, in dry-run mode, planned.</summary>
    public const string ReasonRebalance = "Rebalance";

    /// <summary>The reason of an event for a planned move that was refused (a PodDisruptionBudget, an error).</summary>
    public const string ReasonRebalanceSkipped = "RebalanceSkipped";

    private readonly EventRecorder _recorder;

    /// <summary>Creates the recorder.</summary>
    /// <param name="recorders">Makes the operator's recorders (this replica's identity, the <c>Lepton:Events</c> limits).</param>
    public RebalanceEventRecorder(EventRecorderFactory recorders)
    {
        ArgumentNullException.ThrowIfNull(recorders);
        _recorder = recorders.Create(ReportingController);
    }

    /// <summary>Creates one event regarding <paramref name="pod"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node the pod ran on (the event's related object).</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason"><see cref="ReasonRebalance"/> or <see cref="ReasonRebalanceSkipped"/>.</param>
    /// <param name="action">What was done: <c>Evict</c>, <c>DryRun</c>.</param>
    /// <param name="note">The human-readable note (truncated to 1 KiB).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>True when the event was created or, for a repeat, its series updated.</returns>
    public async Task<bool> RecordAsync(PodDemand pod, string node, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(note);
        var regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name, NamespaceProperty = pod.Namespace, Uid = pod.Uid };
        var related = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node };
        return await _recorder.RecordAsync(regarding, related, type, reason, action, note, cancellationToken).ConfigureAwait(false) is EventOutcome.Created or EventOutcome.SeriesUpdated;
    }
}
