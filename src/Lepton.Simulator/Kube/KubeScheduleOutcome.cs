namespace Lepton.Simulator.Kube;

/// <summary>What one scheduling cycle of the emulated kube-scheduler did.</summary>
/// <param name="NodeName">The node the pod was bound to, or null.</param>
/// <param name="InTreeFeasible">Nodes that passed kube-scheduler's own filters (within the scanned share of nodes).</param>
/// <param name="ExtenderFeasible">Of those, nodes that passed the extender's filter.</param>
/// <param name="Failure">Why the pod was not bound, or null.</param>
public sealed record KubeScheduleOutcome(string? NodeName, int InTreeFeasible, int ExtenderFeasible, string? Failure)
{
    /// <summary>True when the pod was bound.</summary>
    public bool Bound => NodeName is not null;
}
