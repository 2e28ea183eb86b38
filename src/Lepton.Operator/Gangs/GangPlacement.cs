using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;

namespace Lepton.Operator.Gangs;

/// <summary>Where the what-if placement put one gang member.</summary>
/// <param name="Pod">The member (with <see cref="PodDemand.ReservedNode"/> set to the node).</param>
/// <param name="NodeName">The node.</param>
/// <param name="Cards">The GPU cards the policy chose (empty without GPUs).</param>
public sealed record GangPlacement(PodDemand Pod, string NodeName, ImmutableArray<int> Cards);
