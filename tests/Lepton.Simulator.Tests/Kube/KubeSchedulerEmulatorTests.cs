using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Kube;

public class KubeSchedulerEmulatorTests
{
    private static readonly KubeSchedulerOptions NoPlugins = new() { FitStrategy = NodeResourcesFitStrategy.Disabled, BalancedAllocationWeight = 0 };

    [Theory]
    [InlineData(100, 1213, 1213)]
    [InlineData(0, 1213, 497)] // adaptive: 50 − 1213/125 = 41% of 1,213
    [InlineData(0, 99, 99)] // fewer than 100 nodes: all
    [InlineData(0, 150, 100)] // 50 − 1 = 49% = 73, raised to the minimum of 100
    [InlineData(0, 10_000, 500)] // 50 − 80 < 5: 5%
    [InlineData(0, 5_000, 500)] // 50 − 40 = 10%
    [InlineData(30, 1_000, 300)]
    [InlineData(5, 1_000, 100)]
    public void NumFeasibleNodesToFind_MatchesKubeScheduler(int percentage, int nodes, int expected)
    {
        Assert.Equal(expected, KubeSchedulerEmulator.NumFeasibleNodesToFind(percentage, nodes));
    }

    [Theory]
    [InlineData(0, 100, 0, 100, 100)]
    [InlineData(50, 100, 50, 100, 100)]
    [InlineData(100, 100, 0, 100, 50)] // std = |1 − 0| / 2
    [InlineData(30, 100, 80, 100, 75)] // std = 0.25
    [InlineData(200, 100, 0, 100, 50)] // fraction capped at 1
    public void BalancedAllocationScore_IsOneMinusStdTimes100(long cpu, long cpuCap, long mem, long memCap, long expected)
    {
        Assert.Equal(expected, KubeSchedulerEmulator.BalancedAllocationScore(cpu, cpuCap, mem, memCap));
    }

    [Theory]
    [InlineData(25, 100, 75, 25)]
    [InlineData(100, 100, 0, 100)]
    [InlineData(150, 100, 0, 100)]
    [InlineData(1, 3, 66, 33)]
    public void RequestedScores_MatchKubeScheduler(long requested, long capacity, long least, long most)
    {
        Assert.Equal(least, KubeSchedulerEmulator.LeastRequestedScore(requested, capacity));
        Assert.Equal(most, KubeSchedulerEmulator.MostRequestedScore(requested, capacity));
    }

    [Fact]
    public async Task ScheduleAsync_ExtenderScore_CountsWeightTimesTen()
    {
        // "a" is emptier (LeastAllocated and balance prefer it); the extender prefers "b" by 3 points.
        var a = Make.Node("a", cpuMilli: 100_000, memoryMiB: 100_000);
        var b = Make.Node("b", cpuMilli: 100_000, memoryMiB: 100_000);
        var pod = Make.Pod("p", gpus: 0, cpuMilli: 10_000, memoryMiB: 10_000);
        foreach (var (weight, expected) in new[] { (1L, "a"), (2L, "b") })
        {
            var backend = new FakeExtenderBackend { Scores = { ["a"] = 7, ["b"] = 10 } };
            var sut = new KubeSchedulerEmulator([a, b], backend, new KubeSchedulerOptions { ExtenderWeight = weight }, new Random(1));
            sut.AddPod(Make.Pod("existing", gpus: 0, cpuMilli: 40_000, memoryMiB: 10_000), "b");

            // Plugins: a = Least((10+90)/2=... ) computed below; b is 40% fuller in CPU.
            // a: least cpu 90, mem 90 → 90; balanced 100 → 190 + 7·w·10.
            // b: least cpu 50, mem 80 → 65; balanced (1 − |0.5 − 0.2|/2)·100 = 85 → 150 + 10·w·10.
            var outcome = await sut.ScheduleAsync(pod);

            Assert.Equal(expected, outcome.NodeName);
        }
    }

    [Fact]
    public async Task ScheduleAsync_MostAllocated_PrefersTheFullerNode()
    {
        var backend = new FakeExtenderBackend();
        var options = new KubeSchedulerOptions { FitStrategy = NodeResourcesFitStrategy.MostAllocated, BalancedAllocationWeight = 0 };
        var sut = new KubeSchedulerEmulator([Make.Node("a"), Make.Node("b")], backend, options, new Random(1));
        sut.AddPod(Make.Pod("existing", gpus: 0, cpuMilli: 40_000, memoryMiB: 100_000), "b");

        var outcome = await sut.ScheduleAsync(Make.Pod("p", gpus: 0));

        Assert.Equal("b", outcome.NodeName);
    }

    [Fact]
    public async Task ScheduleAsync_OneNodeLeftAfterExtenderFilter_BindsWithoutPrioritize()
    {
        var backend = new FakeExtenderBackend { Rejected = { "a" } };
        var sut = new KubeSchedulerEmulator([Make.Node("a"), Make.Node("b")], backend, null, new Random(1));

        var outcome = await sut.ScheduleAsync(Make.Pod("p", gpus: 1));

        Assert.Equal("b", outcome.NodeName);
        Assert.Equal(0, backend.PrioritizeCalls);
        Assert.Equal(["b"], backend.Bound);
        Assert.Equal((2, 1), (outcome.InTreeFeasible, outcome.ExtenderFeasible));
    }

    [Fact]
    public async Task ScheduleAsync_InTreeFilter_RejectsNodesWithoutCpuOrSlots()
    {
        var backend = new FakeExtenderBackend();
        var small = Make.Node("small", cpuMilli: 1_000);
        var full = Make.Node("full") with { MaxPods = 1 };
        var sut = new KubeSchedulerEmulator([small, full, Make.Node("ok")], backend, null, new Random(1));
        sut.AddPod(Make.Pod("x", gpus: 0, cpuMilli: 1), "full");

        var outcome = await sut.ScheduleAsync(Make.Pod("p", gpus: 1, cpuMilli: 2_000));

        Assert.Equal(["ok"], backend.FilterCalls.Single());
        Assert.Equal("ok", outcome.NodeName);
    }

    [Fact]
    public async Task ScheduleAsync_InTreeFilter_AppliesTheHardNodePredicates()
    {
        var backend = new FakeExtenderBackend();
        var cordoned = Make.Node("cordoned") with { Unschedulable = true };
        var tainted = Make.Node("tainted") with { Taints = [new NodeTaint("gpu", "reserved", NodeTaint.NoSchedule)] };
        var otherPool = Make.Node("other-pool") with { Labels = new Dictionary<string, string> { ["pool"] = "infer" } };
        var train = Make.Node("train") with { Labels = new Dictionary<string, string> { ["pool"] = "train" } };
        var sut = new KubeSchedulerEmulator([cordoned, tainted, otherPool, train], backend, null, new Random(1));
        var pod = Make.Pod("p", cpuMilli: 1_000) with { Placement = new PodPlacement { NodeSelector = [new("pool", "train")] } };

        var outcome = await sut.ScheduleAsync(pod);

        Assert.Equal(["train"], backend.FilterCalls.Single());
        Assert.Equal("train", outcome.NodeName);
    }

    [Fact]
    public async Task ScheduleAsync_ExtendedResources_CountsWholeDevices()
    {
        var backend = new FakeExtenderBackend();
        var gpuNode = Make.Node("g") with { Extended = [new ResourceAmount("nvidia.com/gpu", 2)] };
        var sut = new KubeSchedulerEmulator([gpuNode], backend, null, new Random(1));
        var pod = Make.Pod("p", gpus: 1) with { Extended = [new ResourceAmount("nvidia.com/gpu", 1)] };

        Assert.True((await sut.ScheduleAsync(pod with { Uid = "1" })).Bound);
        Assert.True((await sut.ScheduleAsync(pod with { Uid = "2" })).Bound);
        var third = await sut.ScheduleAsync(pod with { Uid = "3" });

        Assert.False(third.Bound);
        Assert.Equal(0, third.InTreeFeasible);
    }

    [Fact]
    public async Task ScheduleAsync_TiedScores_DrawUniformly()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => Make.Node($"n{i}")).ToArray();
        var counts = new Dictionary<string, int>();
        var random = new Random(5);
        for (var i = 0; i < 400; i++)
        {
            var sut = new KubeSchedulerEmulator(nodes, new FakeExtenderBackend(), NoPlugins, random);
            var outcome = await sut.ScheduleAsync(Make.Pod("p", gpus: 1));
            counts[outcome.NodeName!] = counts.GetValueOrDefault(outcome.NodeName!) + 1;
        }

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 60, 140));
    }

    [Fact]
    public async Task ScheduleAsync_AdaptivePercentage_ScansFromARotatingStart()
    {
        // 200 nodes, 30% → 100 to find (the minimum); each cycle starts where the last stopped.
        var nodes = Enumerable.Range(0, 200).Select(i => Make.Node($"n{i:D3}")).ToArray();
        var backend = new FakeExtenderBackend();
        var sut = new KubeSchedulerEmulator(nodes, backend, new KubeSchedulerOptions { PercentageOfNodesToScore = 30 }, new Random(1));

        await sut.ScheduleAsync(Make.Pod("p1", gpus: 0, cpuMilli: 1));
        await sut.ScheduleAsync(Make.Pod("p2", gpus: 0, cpuMilli: 1));
        await sut.ScheduleAsync(Make.Pod("p3", gpus: 0, cpuMilli: 1));

        Assert.Equal(100, backend.FilterCalls[0].Count);
        Assert.Equal("n000", backend.FilterCalls[0][0]);
        Assert.Equal("n100", backend.FilterCalls[1][0]);
        Assert.Equal("n000", backend.FilterCalls[2][0]);
    }
}
