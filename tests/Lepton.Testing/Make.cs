using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Testing;

/// <summary>
/// The test builders (house style 22): scheduling-core objects here, Kubernetes objects in
/// <c>Make.Kubernetes.cs</c>. Every default is a plain, valid value; a test that depends on a value
/// passes it explicitly.
/// </summary>
public static partial class Make
{
    private static int _uid;

    /// <summary>
    /// A node with <paramref name="gpus"/> whole NVIDIA cards, advertised one device per card
    /// (<c>nvidia.com/gpu</c> = <paramref name="gpus"/>); a CPU-only node when <paramref name="gpus"/> is 0.
    /// </summary>
    public static NodeInventory Node(string name, long cpuMilli = 64_000, int gpus = 8, string? model = "A100", long memoryMiB = 256 * 1024, int maxPods = 110) => new()
    {
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = memoryMiB * 1024 * 1024,
        MaxPods = maxPods,
        GpuResource = gpus > 0 ? "nvidia.com/gpu" : null,
        GpuCards = gpus,
        GpuModel = gpus > 0 ? model : null,
        Extended = gpus > 0 ? [new ResourceAmount("nvidia.com/gpu", gpus)] : [],
    };

    /// <summary>An NVIDIA node with time-slicing replicas (4 per card by default), so shares fit the device count.</summary>
    public static NodeInventory GpuNode(string name, int cards = 8, long cpuMilli = 96_000, long memoryGi = 512, string? model = "NVIDIA-A100-SXM4-80GB", int replicasPerCard = 4) => new()
    {
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = memoryGi << 30,
        MaxPods = 110,
        GpuResource = cards > 0 ? "nvidia.com/gpu" : null,
        GpuCards = cards,
        GpuModel = model,
        Extended = cards > 0 ? [new ResourceAmount("nvidia.com/gpu", cards * replicasPerCard)] : [],
    };

    /// <summary>A node without accelerators.</summary>
    public static NodeInventory CpuNode(string name, long cpuMilli = 64_000, long memoryGi = 256) => new()
    {
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = memoryGi << 30,
        MaxPods = 110,
    };

    /// <summary>A node with <paramref name="count"/> FPGA regions of the extended resource <paramref name="region"/>.</summary>
    public static NodeInventory FpgaNode(string name, string region, int count) => new()
    {
        Name = name,
        CpuMilli = 32_000,
        MemoryBytes = 128L << 30,
        Extended = [new ResourceAmount(region, count)],
    };

    /// <summary>
    /// A pending pod's demand: <paramref name="gpus"/> cards of <paramref name="milli"/> each (a share
    /// when below 1000). Unnamed pods get a fresh <c>pod-N</c>/<c>uid-N</c>; a named pod's UID is its name.
    /// </summary>
    public static PodDemand Pod(string? name = null, long cpuMilli = 1_000, int gpus = 0, int milli = 1000, long memoryMiB = 1024, int priority = 0, string[]? models = null, string? qos = null)
    {
        var id = Interlocked.Increment(ref _uid);
        var pod = new PodDemand
        {
            Uid = name ?? $"uid-{id}",
            Name = name ?? $"pod-{id}",
            CpuMilli = cpuMilli,
            MemoryBytes = memoryMiB * 1024 * 1024,
            GpuCount = gpus,
            GpuMilli = gpus > 0 ? milli : 0,
            GpuModels = models is null ? [] : [.. models],
            Priority = priority,
        };
        return qos is null ? pod : pod with { QosClass = qos };
    }

    /// <summary>A one-card share of <paramref name="milli"/>.</summary>
    public static PodDemand Share(int milli, long cpuMilli = 1_000) => Pod(cpuMilli: cpuMilli, gpus: 1, milli: milli);

    /// <summary>A bound pod's demand as the pod mapper produces it: namespace, GPU resource, devices and cards.</summary>
    public static PodDemand Demand(string name, int gpus = 0, int milli = 1000, long cpuMilli = 1000, int priority = 0, int[]? cards = null) => new()
    {
        Uid = "uid-" + name,
        Namespace = "default",
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = 1L << 30,
        GpuCount = gpus,
        GpuMilli = gpus > 0 ? milli : 0,
        GpuResource = gpus > 0 ? "nvidia.com/gpu" : null,
        Extended = gpus > 0 ? [new ResourceAmount("nvidia.com/gpu", milli < 1000 ? 1 : gpus)] : [],
        Priority = priority,
        CardsHint = cards is null ? [] : [.. cards],
    };

    /// <summary>A node state whose cards have exactly the given free milli, and the given CPU free.</summary>
    public static NodeState State(NodeInventory node, int[] cardFree, long? cpuFree = null)
    {
        var state = NodeState.Empty(node);
        for (var i = 0; i < cardFree.Length; i++)
        {
            var used = 1000 - cardFree[i];
            if (used > 0)
            {
                state = state.WithPod(Pod(cpuMilli: 0, gpus: 1, milli: used, memoryMiB: 0), [i], 0);
            }
        }

        if (cpuFree is { } free && free < node.CpuMilli)
        {
            state = state.WithPod(Pod(cpuMilli: node.CpuMilli - free, memoryMiB: 0), ReadOnlySpan<int>.Empty, 0);
        }

        return state;
    }

    /// <summary>An immutable array of the items.</summary>
    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
