using Lepton.Scheduling.Inventory;

namespace Lepton.Kubernetes;

/// <summary>Nodes and pods read from a cluster-state file.</summary>
/// <param name="Nodes">Every node.</param>
/// <param name="BoundPods">Non-terminal pods bound to a node, with the node name.</param>
/// <param name="PendingPods">Non-terminal pods not bound yet, oldest first.</param>
/// <param name="SkippedItems">Items of other kinds, and terminal pods, that were left out.</param>
public sealed record ClusterStateSnapshot(
    IReadOnlyList<NodeInventory> Nodes,
    IReadOnlyList<(PodDemand Pod, string NodeName)> BoundPods,
    IReadOnlyList<PodDemand> PendingPods,
    int SkippedItems);
