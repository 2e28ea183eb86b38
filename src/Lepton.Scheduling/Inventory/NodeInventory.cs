using System.Collections.Frozen;
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

    /// <summary>The node's labels (<c>metadata.labels</c>), which node selectors and required affinity match; empty for trace nodes.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>The node's taints (<c>spec.taints</c>); only <c>NoSchedule</c> and <c>NoExecute</c> keep pods off.</summary>
    public ImmutableArray<NodeTaint> Taints { get; init; } = [];

    /// <summary>Whether the node's GPUs are shared (decides whole-GPU versus fractional pods); <see cref="GpuSharing.Unknown"/> allows both.</summary>
    public GpuSharing GpuSharing { get; init; }

    /// <summary>The label that decided <see cref="GpuSharing"/>, as <c>key=value</c> (for refusal messages), or null.</summary>
    public string? GpuSharingEvidence { get; init; }

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
