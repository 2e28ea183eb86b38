using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Operator.Gangs;

/// <summary>The outcome of placing a gang's members on a what-if copy of the cluster state.</summary>
/// <param name="Placements">The members that found room, in member order.</param>
/// <param name="Unplaced">The members that did not.</param>
/// <param name="Nodes">The node states the members were placed against (the cluster state plus other gangs' reservations), for explanations.</param>
public sealed record GangPlan(IReadOnlyList<GangPlacement> Placements, IReadOnlyList<PodDemand> Unplaced, IReadOnlyList<NodeState> Nodes);
