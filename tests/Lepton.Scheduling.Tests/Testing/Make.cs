using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Tests.Testing;

/// <summary>Builders for nodes, pods and node states in tests.</summary>
internal static class Make
{
    private static int _uid;

    public static NodeInventory Node(string name, long cpuMilli = 64_000, int gpus = 8, string? model = "A100", long memoryGiB = 256, int maxPods = 110) => new()
    {
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = memoryGiB * 1024 * 1024 * 1024,
        MaxPods = maxPods,
        GpuResource = gpus > 0 ? "nvidia.com/gpu" : null,
        GpuCards = gpus,
        GpuModel = gpus > 0 ? model : null,
        Extended = gpus > 0 ? [new ResourceAmount("nvidia.com/gpu", gpus)] : [],
    };

    public static PodDemand Pod(long cpuMilli = 1_000, int gpus = 0, int milli = 1000, string[]? models = null, long memoryMiB = 1024, int priority = 0, string? name = null)
    {
        var id = Interlocked.Increment(ref _uid);
        return new PodDemand
        {
            Uid = $"uid-{id}",
            Name = name ?? $"pod-{id}",
            CpuMilli = cpuMilli,
            MemoryBytes = memoryMiB * 1024 * 1024,
            GpuCount = gpus,
            GpuMilli = gpus > 0 ? milli : 0,
            GpuModels = models is null ? [] : [.. models],
            Priority = priority,
        };
    }

    public static PodDemand Share(int milli, long cpuMilli = 1_000) => Pod(cpuMilli, gpus: 1, milli: milli);

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

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
