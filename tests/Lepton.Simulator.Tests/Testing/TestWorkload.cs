using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Tests.Testing;

/// <summary>Simulator workloads for tests; nodes and pods come from <see cref="Lepton.Testing.Make"/>.</summary>
internal static class TestWorkload
{
    public static Workload Create(IReadOnlyList<NodeInventory> nodes, IEnumerable<WorkloadPod> pods, WorkloadSource source = WorkloadSource.Trace, string name = "test") => new()
    {
        Name = name,
        Source = source,
        Nodes = nodes,
        Pods = [.. pods],
    };

    public static Workload Create(IReadOnlyList<NodeInventory> nodes, params PodDemand[] pods) =>
        Create(nodes, pods.Select(p => new WorkloadPod(p)));

    /// <summary>A small synthetic workload (about 60 nodes) for fast end-to-end runs.</summary>
    public static Workload Small(int seed = SyntheticWorkload.DefaultSeed) => SyntheticWorkload.Create(new SyntheticWorkloadOptions { ClusterScale = 0.05, Seed = seed });
}
