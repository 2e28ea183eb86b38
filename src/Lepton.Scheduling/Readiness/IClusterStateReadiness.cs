namespace Lepton.Scheduling.Readiness;

/// <summary>
/// Whether the cluster state is synced (or the state file loaded): <c>/readyz</c> answers 200
/// only then (DECISIONS.md 10). Whoever fills the state signals it: the state-file loader today,
/// the operator's informers later.
/// </summary>
/// <example>
/// <code>
/// // After the informers' first List has been applied to ClusterState:
/// readiness.MarkReady();
/// // After losing the watch for longer than the cache may be trusted:
/// readiness.MarkNotReady("node informer relisting");
/// </code>
/// </example>
public interface IClusterStateReadiness
{
    /// <summary>True once the cluster state can be trusted.</summary>
    bool IsReady { get; }

    /// <summary>Why the state is not ready (empty when ready).</summary>
    string Reason { get; }

    /// <summary>Signals that the cluster state is synced.</summary>
    void MarkReady();

    /// <summary>Signals that the cluster state can no longer be trusted.</summary>
    /// <param name="reason">Why, for <c>/readyz</c> and logs.</param>
    void MarkNotReady(string reason);
}
