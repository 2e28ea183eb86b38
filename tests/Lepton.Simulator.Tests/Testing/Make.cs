using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Tests.Testing;

/// <summary>Builders for nodes, pods and workloads.</summary>
internal static class Make
{
    public static NodeInventory Node(string name, int gpus = 8, long cpu = 96_000, long memoryMiB = 393_216, string? model = "G2") => new()
    {
        Name = name,
        CpuMilli = cpu,
        MemoryBytes = memoryMiB * 1024 * 1024,
        MaxPods = OpenbCsv.ArtifactMaxPods,
        GpuCards = gpus,
        GpuModel = gpus > 0 ? model : null,
    };

    public static PodDemand Pod(string name, int gpus = 1, int milli = 1000, long cpu = 4_000, long memoryMiB = 8_192, int priority = 0, params string[] models) => new()
    {
        Uid = name,
        Name = name,
        CpuMilli = cpu,
        MemoryBytes = memoryMiB * 1024 * 1024,
        GpuCount = gpus,
        GpuMilli = gpus == 0 ? 0 : milli,
        Priority = priority,
        GpuModels = [.. models],
    };

    public static Workload Workload(IReadOnlyList<NodeInventory> nodes, IEnumerable<WorkloadPod> pods, WorkloadSource source = WorkloadSource.Trace, string name = "test") => new()
    {
        Name = name,
        Source = source,
        Nodes = nodes,
        Pods = [.. pods],
    };

    public static Workload Workload(IReadOnlyList<NodeInventory> nodes, params PodDemand[] pods) =>
        Workload(nodes, pods.Select(p => new WorkloadPod(p)));

    /// <summary>A small synthetic workload (about 60 nodes) for fast end-to-end runs.</summary>
    public static Workload Small(int seed = SyntheticWorkload.DefaultSeed) => SyntheticWorkload.Create(new SyntheticWorkloadOptions { ClusterScale = 0.05, Seed = seed });
}
