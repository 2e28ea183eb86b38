using System.Collections.Immutable;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// What a node offers: allocatable CPU, memory and pod slots, its GPU cards (count, model,
/// memory) and every other extended resource. Immutable; a changed node is a new inventory.
/// </summary>
public sealed record NodeInventory
{
    /// <summary>The node name.</summary>
    public required string Name { get; init; }

    /// <summary>Allocatable CPU in milli-cores.</summary>
    public long CpuMilli { get; init; }

    /// <summary>Allocatable memory in bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Allocatable pod slots.</summary>
    public int MaxPods { get; init; } = 110;

    /// <summary>The device-plugin resource that exposes this node's GPUs (<c>nvidia.com/gpu</c>…), or null.</summary>
    public string? GpuResource { get; init => field = Resources.ResourceNames.Shared(value); }

    /// <summary>Physical GPU cards, each with 1000 milli-GPU of capacity.</summary>
    public int GpuCards { get; init; }

    /// <summary>The GPU model (product string or trace name) as labelled on the node, or null.</summary>
    public string? GpuModel { get; init; }

    /// <summary>Memory of one GPU in MiB when a label says it, else 0.</summary>
    public int GpuMemoryMiB { get; init; }

    /// <summary>
    /// Every extended resource the node advertises as allocatable, including the GPU device
    /// resource itself (whose count may exceed <see cref="GpuCards"/> with time-slicing replicas).
    /// </summary>
    public ImmutableArray<ResourceAmount> Extended { get; init; } = [];

    /// <summary>Whether the node is cordoned (<c>spec.unschedulable</c>).</summary>
    public bool Unschedulable { get; init; }

    /// <summary>Total GPU capacity in milli-GPU.</summary>
    public int GpuMilliCapacity => GpuCards * 1000;

    /// <summary>The index of an extended resource in <see cref="Extended"/>, or -1.</summary>
    /// <param name="name">The resource name.</param>
    /// <returns>The index, or -1 when the node does not advertise it.</returns>
    public int IndexOfExtended(string name)
    {
        var items = Extended;
        for (var i = 0; i < items.Length; i++)
        {
            if (string.Equals(items[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
