using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.State;

/// <summary>A pod the cluster state accounts on a node, with the cards it holds.</summary>
/// <param name="Pod">The pod.</param>
/// <param name="NodeName">The node.</param>
/// <param name="Cards">The card indices the pod holds (empty without GPUs).</param>
/// <param name="Phase">Whether the placement is assumed by Lepton or confirmed by the cluster.</param>
/// <param name="AssumedAt">When Lepton assumed it (null for placements the cluster reported).</param>
public sealed record PlacedPod(PodDemand Pod, string NodeName, ImmutableArray<int> Cards, PlacementPhase Phase, DateTimeOffset? AssumedAt);
