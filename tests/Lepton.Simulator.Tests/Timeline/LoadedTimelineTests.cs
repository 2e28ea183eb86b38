using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Timeline;

public class LoadedTimelineTests
{
    // 20 one-GPU nodes and two 8-GPU nodes (the only ones that host "big"); 200 one-GPU pods of 1,000 s over 100,000 s.
    private static Workload Cluster()
    {
        var nodes = Enumerable.Range(0, 20).Select(i => Make.Node($"small{i:00}", gpus: 1)).Concat([Make.Node("big0", gpus: 8), Make.Node("big1", gpus: 8)]).ToArray();
        var pods = Enumerable.Range(0, 200).Select(i => new WorkloadPod(Make.Pod($"p{i:000}", gpus: 1), i * 500L, (i * 500L) + 1000)).ToList();
        pods.Add(new WorkloadPod(Make.Pod("big", gpus: 8), 100, 1100));
        return TestWorkload.Create(nodes, pods);
    }

    [Fact]
    public void Build_SamplesAtLeastTheGpus_IncludingAHostForTheLargestPod()
    {
        var sut = LoadedTimeline.Build(Cluster(), seed: 42, gpus: 12, load: 1.0);

        Assert.InRange(sut.Gpus, 12, 19);
        Assert.Contains(sut.Workload.Nodes, n => n.GpuCards == 8);
        Assert.Equal(0, sut.ExcludedPods);
        Assert.Equal(201, sut.Workload.Pods.Count);
    }

    [Fact]
    public void Build_SameSeed_SameSample_OtherSeed_OtherSample()
    {
        var a = LoadedTimeline.Build(Cluster(), 42, 12, 1.0);
        var b = LoadedTimeline.Build(Cluster(), 42, 12, 1.0);
        var c = LoadedTimeline.Build(Cluster(), 43, 12, 1.0);

        Assert.Equal(a.Workload.Nodes.Select(n => n.Name), b.Workload.Nodes.Select(n => n.Name));
        Assert.NotEqual(a.Workload.Nodes.Select(n => n.Name).Order(), c.Workload.Nodes.Select(n => n.Name).Order());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.2)]
    [InlineData(3.0)]
    public void Build_CompressesArrivalsToTheLoad_LifetimesUnchanged(double load)
    {
        var workload = Cluster();

        var sut = LoadedTimeline.Build(workload, 42, 12, load);

        Assert.Equal(load, LoadedTimeline.OfferedLoad(sut.Workload.Pods, sut.Gpus), 1);
        Assert.Equal(load, sut.Load, 2);
        Assert.True(sut.Compression > 1);
        var original = workload.Pods.ToDictionary(p => p.Pod.Uid, p => p.RunSeconds);
        Assert.All(sut.Workload.Pods, p => Assert.Equal(original[p.Pod.Uid], p.RunSeconds));
    }

    [Fact]
    public void Build_PodThatFitsNoSampledNode_IsExcluded()
    {
        var workload = Cluster();
        var pods = workload.Pods.Append(new WorkloadPod(Make.Pod("h100-only", gpus: 1, models: ["H100"]), 50, 60)).ToList();

        var sut = LoadedTimeline.Build(TestWorkload.Create(workload.Nodes, pods), 42, 12, 1.0);

        Assert.Equal(1, sut.ExcludedPods);
        Assert.DoesNotContain(sut.Workload.Pods, p => p.Pod.Name == "h100-only");
    }

    [Fact]
    public void Check_ClusterStateWithoutLifetimes_NamesTheMissingLifetimes()
    {
        var workload = TestWorkload.Create([Make.Node("n")], [new WorkloadPod(Make.Pod("a", gpus: 1), 0, null)], WorkloadSource.ClusterState);

        var message = LoadedTimeline.Check(workload, 1, 1.0);

        Assert.Contains("--cluster-state file has no lifetimes", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1.0, "--gpus 0 is not between 1")]
    [InlineData(12, 0.0, "--load 0 is not above 0")]
    [InlineData(12, 100.0, "--load 100 is not above 0 and below")]
    public void Check_BadArguments_OneMessage(int gpus, double load, string expected)
    {
        Assert.StartsWith(expected, LoadedTimeline.Check(Cluster(), gpus, load), StringComparison.Ordinal);
    }
}
