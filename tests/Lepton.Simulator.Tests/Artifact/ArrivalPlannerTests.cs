using Lepton.Simulator.Artifact;
using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Workloads;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Artifact;

public class ArrivalPlannerTests
{
    [Fact]
    public void Build_StopRule_AddsThePerGpuMilliNotTheTotal()
    {
        // 10 GPUs, limit 1.3 × 10,000 = 13,000 milli. Demand starts at 8,000 (one 8-GPU pod).
        // The artifact's rule adds the clone's per-GPU milli (1,000): 9,000 ≤ 13,000, so one clone
        // is appended and demand jumps to 16,000; the next check (17,000) stops. A rule using the
        // total (16,000 > 13,000) would add no clone.
        var workload = TestWorkload.Create([Make.Node("n1", gpus: 8), Make.Node("n2", gpus: 2)], Make.Pod("big", gpus: 8));

        var sut = ArrivalPlanner.Build(workload, 42);

        Assert.Equal(1, sut.CloneCount);
        Assert.Equal(16_000, sut.GpuDemandMilli);
        Assert.Equal("big-clone-0", sut.Pods[1].Name);
        Assert.Equal("big-clone-0", sut.Pods[1].Uid);
    }

    [Fact]
    public void Build_Clones_AreAppendedAfterTheShuffledOriginalsAndDrawnWithReplacement()
    {
        var pods = Enumerable.Range(0, 40).Select(i => Make.Pod($"p{i:D2}", gpus: 1, milli: 100 + (i * 10))).ToArray();
        var workload = TestWorkload.Create([Make.Node("n1", gpus: 8), Make.Node("n2", gpus: 8)], pods);

        var sut = ArrivalPlanner.Build(workload, 7);

        var originals = sut.Pods.Take(sut.OriginalCount).Select(p => p.Name).ToList();
        Assert.Equal(pods.Select(p => p.Name).Order(), originals.Order());
        Assert.NotEqual(pods.Select(p => p.Name), originals);
        var clones = sut.Pods.Skip(sut.OriginalCount).ToList();
        Assert.NotEmpty(clones);
        Assert.All(clones, c => Assert.Contains("-clone-", c.Name, StringComparison.Ordinal));
        var sources = clones.Select(c => c.Name[..c.Name.IndexOf("-clone-", StringComparison.Ordinal)]).ToList();
        Assert.True(sources.Count > sources.Distinct().Count(), "with replacement: some pod is cloned twice");
        Assert.True(sut.GpuDemandMilli <= 1.3 * workload.GpuCapacityMilli + 1000);
        Assert.Equal(sut.Pods.Sum(p => p.TotalGpuMilli), sut.GpuDemandMilli);
    }

    [Fact]
    public void Build_CpuOnlyClones_NeverStopTheTuneUp()
    {
        // Per-GPU milli 0 never crosses the limit: only a GPU clone ends the tune-up.
        var workload = TestWorkload.Create([Make.Node("n1", gpus: 1)], Make.Pod("cpu", gpus: 0), Make.Pod("gpu", gpus: 1));

        var sut = ArrivalPlanner.Build(workload, 3);

        // Demand stays at the original GPU pod's 1,000: a GPU clone (1,000 + 1,000 > 1,300) stops the loop.
        Assert.Equal(1000, sut.GpuDemandMilli);
        Assert.All(sut.Pods.Skip(sut.OriginalCount), c => Assert.StartsWith("cpu-clone-", c.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SameSeed_SamePlan_DifferentSeed_DifferentPlan()
    {
        var workload = TestWorkload.Small();

        var a = ArrivalPlanner.Build(workload, 42);
        var b = ArrivalPlanner.Build(workload, 42);
        var c = ArrivalPlanner.Build(workload, 43);

        Assert.Equal(a.Pods.Select(p => p.Uid), b.Pods.Select(p => p.Uid));
        Assert.Equal(a.NodesByPriority.Select(n => n.Name), b.NodesByPriority.Select(n => n.Name));
        Assert.NotEqual(a.Pods.Select(p => p.Uid), c.Pods.Select(p => p.Uid));
        Assert.NotEqual(a.NodesByPriority.Select(n => n.Name), c.NodesByPriority.Select(n => n.Name));
    }

    [Fact]
    public void Build_ClusterState_PendingPodsInOrderWithoutClones()
    {
        var pods = new[] { Make.Pod("z", gpus: 1), Make.Pod("a", gpus: 1), Make.Pod("m", gpus: 1) };
        var workload = TestWorkload.Create([Make.Node("n1")], pods.Select(p => new WorkloadPod(p)), WorkloadSource.ClusterState);

        var sut = ArrivalPlanner.Build(workload, 42);

        Assert.Equal(["z", "a", "m"], sut.Pods.Select(p => p.Name));
        Assert.Equal(0, sut.CloneCount);
    }

    [Fact]
    public void Permutation_IsAPermutation()
    {
        var sut = ArrivalPlanner.Permutation(1213, new Random(1));

        Assert.Equal(Enumerable.Range(0, 1213), sut.Order());
    }
}
