using Lepton.Scheduling.State;

namespace Lepton.Operator.Rebalancing;

/// <summary>A pod the rebalancer may move: its placement in the cluster state and the controller that recreates it.</summary>
/// <param name="Placement">The pod's placement (node and cards) in the cluster state.</param>
/// <param name="ControllerUid">The UID of the pod's controller (the cooldown key that survives recreation), or null.</param>
public sealed record RebalanceCandidate(PlacedPod Placement, string? ControllerUid = null)
{
    /// <summary>Gets the pod's <c>namespace/name</c>.</summary>
    public string Key => Placement.Pod.Key;
}
