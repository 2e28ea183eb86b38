using Lepton.Scheduling.Inventory;

namespace Lepton.Operator.Gangs;

/// <summary>Room held for an admitted gang member until it is bound.</summary>
/// <param name="Pod">The member's demand (with <see cref="PodDemand.ReservedNode"/> set).</param>
/// <param name="NodeName">The reserved node.</param>
/// <param name="At">When the reservation was made.</param>
public sealed record GangReservation(PodDemand Pod, string NodeName, DateTimeOffset At);
