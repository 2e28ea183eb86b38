using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;

namespace Lepton.Extender.Tests.TestSupport;

/// <summary>Builders for test objects (house style 22).</summary>
internal static class Make
{
    public static PodBuilder Pod(string name) => new(name);

    /// <summary>An NVIDIA node with time-slicing replicas (4 per card) so shares fit the device count.</summary>
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

    public static NodeInventory CpuNode(string name, long cpuMilli = 64_000, long memoryGi = 256) => new()
    {
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = memoryGi << 30,
        MaxPods = 110,
    };

    public static NodeInventory FpgaNode(string name, string region, int count) => new()
    {
        Name = name,
        CpuMilli = 32_000,
        MemoryBytes = 128L << 30,
        Extended = [new ResourceAmount(region, count)],
    };

    /// <summary>A bound-pod demand as the mapper would produce it.</summary>
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

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
