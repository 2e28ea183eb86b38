using Lepton.Operator.Rebalancing;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalancePlannerTests
{
    // Two nodes, each with a half-GPU share on card 0: each node has 500 milli of fragment (F = 500) under a
    // whole-GPU mix. Moving one share next to the other empties the fragment on both nodes.
    private static RebalanceTestCluster HalfSharePairs(int pairs)
    {
        var cluster = new RebalanceTestCluster();
        for (var i = 0; i < pairs; i++)
        {
            var a = $"node-{(char)('a' + (2 * i))}";
            var b = $"node-{(char)('b' + (2 * i))}";
            cluster.Node(a).Node(b);
            cluster.Pod($"{a}-share", a, 500, [0]);
            cluster.Pod($"{b}-share", b, 500, [0]);
        }

        return cluster;
    }

    [Fact]
    public void Plan_FragmentedPair_PlansOneMoveThatRemovesTheFragmentation()
    {
        var cluster = HalfSharePairs(1);
        var sut = new RebalancePlanner(new RebalancerOptions());

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        var move = Assert.Single(plan.Moves);
        Assert.Equal("node-a-share", move.Pod.Name);
        Assert.Equal("node-a", move.SourceNode);
        Assert.Equal("node-b", move.TargetNode);
        Assert.Equal(1000, move.Reduction, 6);
        Assert.True(move.TargetScore > move.SourceScore);
        Assert.Equal(1000, plan.FragmentationBefore, 6);
        Assert.Equal(0, plan.FragmentationAfter, 6);
        Assert.Equal(2, plan.FragmentedNodes);
        Assert.Equal(2, plan.Candidates);
    }

    [Fact]
    public void Plan_FragmentedPair_DoesNotChangeTheClusterState()
    {
        var cluster = HalfSharePairs(1);
        var before = cluster.Nodes();
        var sut = new RebalancePlanner(new RebalancerOptions());

        sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Equal(before, cluster.Nodes());
        Assert.Equal(2, cluster.State.PodCount);
    }

    [Fact]
    public void Plan_OnlyTheSourceNodeWouldHelp_PlansNothing()
    {
        // node-a holds two half shares on two cards (F = 1000); packing them on one card would fix it, but that
        // is the same node. Moving one to the empty node-b moves the fragment there: no net gain.
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b");
        cluster.Pod("p1", "node-a", 500, [0]);
        cluster.Pod("p2", "node-a", 500, [1]);
        var sut = new RebalancePlanner(new RebalancerOptions { MinFragmentationReductionMilli = 0.001 });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Empty(plan.Moves);
        Assert.Equal(1000, plan.FragmentationBefore, 6);
    }

    [Fact]
    public void Plan_NoOtherNodeFits_PlansNothing()
    {
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b", unschedulable: true).Node("node-c", gpus: 0);
        cluster.Pod("p1", "node-a", 500, [0]);
        var sut = new RebalancePlanner(new RebalancerOptions());

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void Plan_ManyMoves_NeverTargetsTheSourceNode()
    {
        var cluster = HalfSharePairs(3);
        var sut = new RebalancePlanner(new RebalancerOptions { MaxEvictionsPerCycle = 10 });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Equal(3, plan.Moves.Count);
        Assert.All(plan.Moves, m => Assert.NotEqual(m.SourceNode, m.TargetNode));
        Assert.All(plan.Moves, m => Assert.True(m.Reduction >= 200));
        Assert.Equal(0, plan.FragmentationAfter, 6);
    }

    [Fact]
    public void Plan_ReductionBelowThreshold_PlansNothing()
    {
        var cluster = HalfSharePairs(1);
        var sut = new RebalancePlanner(new RebalancerOptions { MinFragmentationReductionMilli = 1001 });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void Plan_NodesBelowFragmentationThreshold_AreNotSources()
    {
        var cluster = HalfSharePairs(1);
        var sut = new RebalancePlanner(new RebalancerOptions { MinNodeFragmentationMilli = 501 });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Empty(plan.Moves);
        Assert.Equal(0, plan.FragmentedNodes);
    }

    [Fact]
    public void Plan_MaxEvictionsPerCycle_CapsTheMoves()
    {
        var cluster = HalfSharePairs(3);
        var sut = new RebalancePlanner(new RebalancerOptions { MaxEvictionsPerCycle = 2 });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Equal(2, plan.Moves.Count);
    }

    [Fact]
    public void Plan_PodTheSourceNodeWouldTakeBackEquallyWell_IsNotMoved()
    {
        // node-a: half shares on cards 0 and 1. Evicting one leaves a half-free card next to the other, where
        // FGD would put the replacement back just as gladly as on node-b: so node-a's pods stay, node-b's moves.
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b");
        cluster.Pod("a1", "node-a", 500, [0]);
        cluster.Pod("a2", "node-a", 500, [1]);
        cluster.Pod("b1", "node-b", 500, [0]);
        var sut = new RebalancePlanner(new RebalancerOptions());

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        var move = Assert.Single(plan.Moves);
        Assert.Equal("b1", move.Pod.Name);
        Assert.Equal("node-a", move.TargetNode);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void Plan_MaxEvictionsPerNode_CapsMovesFromOneNode(int perNode, int expectedFromA)
    {
        // node-a: three 600-milli shares (400 free on cards 0..2, F = 1200); node-b..d: one 400-milli share each
        // (F = 600). node-a is the best source as long as its cap allows.
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b").Node("node-c").Node("node-d");
        cluster.Pod("a1", "node-a", 600, [0]);
        cluster.Pod("a2", "node-a", 600, [1]);
        cluster.Pod("a3", "node-a", 600, [2]);
        cluster.Pod("b1", "node-b", 400, [0]);
        cluster.Pod("c1", "node-c", 400, [0]);
        cluster.Pod("d1", "node-d", 400, [0]);
        var sut = new RebalancePlanner(new RebalancerOptions { MaxEvictionsPerCycle = 5, MaxEvictionsPerNode = perNode });

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());

        Assert.Equal(3, plan.Moves.Count);
        Assert.Equal(expectedFromA, plan.Moves.Count(m => m.SourceNode == "node-a"));
        Assert.All(plan.Moves.GroupBy(m => m.SourceNode), g => Assert.True(g.Count() <= perNode));
        Assert.Equal(3000, plan.FragmentationBefore, 6);
        Assert.Equal(0, plan.FragmentationAfter, 6);
    }

    [Fact]
    public void Plan_SameInputInAnyOrder_GivesTheSamePlan()
    {
        var cluster = HalfSharePairs(3);
        var sut = new RebalancePlanner(new RebalancerOptions { MaxEvictionsPerCycle = 10 });

        var first = sut.Plan(cluster.Nodes(), cluster.Candidates(), RebalanceTestCluster.WholeGpuMix());
        var second = sut.Plan(cluster.Nodes().Reverse(), cluster.Candidates().Reverse(), RebalanceTestCluster.WholeGpuMix());

        Assert.Equal(
            first.Moves.Select(m => (m.Pod.Name, m.SourceNode, m.TargetNode)),
            second.Moves.Select(m => (m.Pod.Name, m.SourceNode, m.TargetNode)));
    }

    [Fact]
    public void Plan_LargeRandomCluster_IsDeterministicAndOnlyLowersFragmentation()
    {
        // 200 eight-GPU nodes with shares of a few sizes scattered over their cards.
        var random = new Random(7);
        var cluster = new RebalanceTestCluster();
        int[] sizes = [250, 500, 750, 1000];
        for (var n = 0; n < 200; n++)
        {
            var node = $"node-{n:D3}";
            cluster.Node(node, gpus: 8, cpuMilli: 128_000);
            for (var card = 0; card < 8; card++)
            {
                if (random.NextDouble() < 0.6)
                {
                    cluster.Pod($"{node}-c{card}", node, sizes[random.Next(sizes.Length)], [card]);
                }
            }
        }

        var options = new RebalancerOptions { MaxEvictionsPerCycle = 10, MaxEvictionsPerNode = 2 };
        var mix = Lepton.Scheduling.Fragmentation.FragmentationModel.FromTasks(
        [
            new(1000, 1000, 1, [], 1, 0.5),
            new(1000, 500, 1, [], 1, 0.3),
            new(1000, 1000, 2, [], 1, 0.2),
        ]);
        var sut = new RebalancePlanner(options);

        var first = sut.Plan(cluster.Nodes(), cluster.Candidates(), mix);
        var second = sut.Plan(cluster.Nodes().Reverse(), cluster.Candidates().Reverse(), mix);

        Assert.Equal(10, first.Moves.Count);
        Assert.Equal(
            first.Moves.Select(m => (m.Pod.Name, m.SourceNode, m.TargetNode)),
            second.Moves.Select(m => (m.Pod.Name, m.SourceNode, m.TargetNode)));
        Assert.All(first.Moves, m => Assert.True(m.Reduction >= options.MinFragmentationReductionMilli));
        Assert.All(first.Moves, m => Assert.NotEqual(m.SourceNode, m.TargetNode));
        Assert.Equal(first.FragmentationBefore - first.Moves.Sum(m => m.Reduction), first.FragmentationAfter, 3);
    }

    [Fact]
    public void Plan_OnlyCandidatesMove()
    {
        // node-a's share is not a candidate (filtered out by eligibility upstream): only node-b's may move.
        var cluster = HalfSharePairs(1);
        var candidates = cluster.Candidates().Where(c => c.Placement.Pod.Name != "node-a-share");
        var sut = new RebalancePlanner(new RebalancerOptions());

        var plan = sut.Plan(cluster.Nodes(), candidates, RebalanceTestCluster.WholeGpuMix());

        var move = Assert.Single(plan.Moves);
        Assert.Equal("node-b-share", move.Pod.Name);
        Assert.Equal("node-a", move.TargetNode);
        Assert.Equal(1, plan.Candidates);
    }

    [Fact]
    public void Plan_EmptyMix_PlansNothing()
    {
        var cluster = HalfSharePairs(1);
        var sut = new RebalancePlanner(new RebalancerOptions());

        var plan = sut.Plan(cluster.Nodes(), cluster.Candidates(), Lepton.Scheduling.Fragmentation.FragmentationModel.Empty);

        Assert.Empty(plan.Moves);
        Assert.Equal(0, plan.FragmentationBefore);
    }
}
