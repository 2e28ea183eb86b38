using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Tests.Workloads;

public class SyntheticWorkloadTests
{
    [Fact]
    public void Create_Default_FollowsOpenbShapesAndFillsTheCluster()
    {
        var sut = SyntheticWorkload.Create();

        var gpus = sut.GpuCapacityMilli / 1000;
        Assert.InRange(sut.Nodes.Count, 280, 330);
        Assert.InRange(gpus, 1400, 1700);
        var demand = sut.Pods.Sum(p => p.Pod.TotalGpuMilli);
        Assert.InRange(demand, 0.98 * sut.GpuCapacityMilli, 0.99 * sut.GpuCapacityMilli);

        // openb default: 13% CPU-only, 38% sharing, 48% one whole GPU.
        double n = sut.Pods.Count;
        Assert.InRange(sut.Pods.Count(p => !p.Pod.NeedsGpu) / n, 0.10, 0.17);
        Assert.InRange(sut.Pods.Count(p => p.Pod.IsSharing) / n, 0.33, 0.43);
        Assert.InRange(sut.Pods.Count(p => p.Pod.GpuCount == 1 && p.Pod.GpuMilli == 1000) / n, 0.43, 0.53);
        Assert.InRange(sut.Pods.Count(p => !p.Pod.GpuModels.IsDefaultOrEmpty) / (double)sut.Pods.Count(p => p.Pod.NeedsGpu), 0.07, 0.14);
        Assert.True(sut.HasTimes);
    }

    [Fact]
    public void Create_SameSeed_SameWorkload()
    {
        var a = SyntheticWorkload.Create();
        var b = SyntheticWorkload.Create();

        Assert.Equal(a.Pods.Select(p => (p.Pod.Name, p.Pod.CpuMilli, p.Pod.GpuMilli, p.CreatedAtSeconds)), b.Pods.Select(p => (p.Pod.Name, p.Pod.CpuMilli, p.Pod.GpuMilli, p.CreatedAtSeconds)));
    }

    [Fact]
    public void Create_Timeline_ArrivesOverTheDurationWithCappedLifetimes()
    {
        var sut = SyntheticWorkload.Create(SyntheticWorkloadOptions.Timeline());

        Assert.Equal("builtin-timeline", sut.Name);
        Assert.InRange(sut.Pods.Max(p => p.CreatedAtSeconds!.Value), 40_000, 43_200);
        Assert.All(sut.Pods, p => Assert.InRange(p.RunSeconds!.Value, 1, 16_425));
    }

    [Fact]
    public void CreateNodes_ExactCount_HasThatManyNodes()
    {
        var sut = SyntheticWorkload.CreateNodes(1, nodeCount: 5000);

        Assert.Equal(5000, sut.Count);
        Assert.Equal(5000, sut.Select(n => n.Name).Distinct().Count());
    }
}
