using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Artifact;

/// <summary>
/// One seed's arrivals as the FGD artifact builds them: the pod order (shuffled originals, then
/// tune-up clones) and the node-priority order that breaks every score tie.
/// </summary>
public sealed class ArrivalPlan
{
    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Pods in arrival order.</summary>
    public required IReadOnlyList<PodDemand> Pods { get; init; }

    /// <summary>How many of <see cref="Pods"/> are original workload pods (the rest are clones).</summary>
    public required int OriginalCount { get; init; }

    /// <summary>
    /// The nodes, highest priority first: the artifact renames node i to <c>%04d-</c> of a random
    /// permutation, so a tie between nodes goes to the one earlier in this list.
    /// </summary>
    public required IReadOnlyList<NodeInventory> NodesByPriority { get; init; }

    /// <summary>Total GPU capacity, milli-GPU (the denominator of every percentage).</summary>
    public required long GpuCapacityMilli { get; init; }

    /// <summary>Total GPU demand of <see cref="Pods"/>, milli-GPU.</summary>
    public required long GpuDemandMilli { get; init; }

    /// <summary>The seed's random stream after the plan was drawn; policies that draw (Random) continue it.</summary>
    public required Random Random { get; init; }

    /// <summary>How many clones the tune-up appended.</summary>
    public int CloneCount => Pods.Count - OriginalCount;
}
