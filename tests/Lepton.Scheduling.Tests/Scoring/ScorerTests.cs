using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.BestFit;
using Lepton.Scheduling.Scoring.DotProd;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.Scoring.GpuClustering;
using Lepton.Scheduling.Scoring.GpuPacking;
using Lepton.Scheduling.Scoring.NodeResources;
using Lepton.Scheduling.Scoring.Random;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Scoring;

/// <summary>Each policy's score on hand-computed cases (formulas: traces/openb/METHOD.md 3-4).</summary>
public class ScorerTests
{
    private static readonly NodeInventory Eight = Make.Node("eight", cpuMilli: 128_000, gpus: 8, model: "T4");
    private static readonly NodeInventory Two = Make.Node("two", cpuMilli: 64_000, gpus: 2, model: "T4");

    private static ScoringContext Context(FragmentationModel? model = null, int seed = 1) =>
        new(model ?? FragmentationModel.Empty, ClusterScale.OpenB, new System.Random(seed));

    private static int[] Score(NodeScorer sut, PodDemand pod, params NodeState[] nodes)
    {
        var scores = new int[nodes.Length];
        sut.Score(sut.PreScore(pod, Context()), nodes, scores);
        return scores;
    }

    [Fact]
    public void GpuPacking_AllFreeNodes_Scores33MinusFreeCards()
    {
        var scores = Score(new GpuPackingScorer(), Make.Pod(gpus: 1), NodeState.Empty(Eight), NodeState.Empty(Make.Node("four", gpus: 4)));

        Assert.Equal([25, 29], scores);
    }

    [Fact]
    public void GpuPacking_PartlyUsedCardPreferred_FreeCardOnUsedNodeNext()
    {
        var share = Score(new GpuPackingScorer(), Make.Share(300), Make.State(Two, [500, 1000]));
        var whole = Score(new GpuPackingScorer(), Make.Pod(gpus: 1), Make.State(Two, [0, 1000]));
        var cpuOnly = Score(new GpuPackingScorer(), Make.Pod(), Make.State(Two, [0, 1000]));

        Assert.Equal([95], share); // 100 − (500·100 div 1000) div 10
        Assert.Equal([49], whole); // max(50 − 1, 33)
        Assert.Equal([0], cpuOnly);
    }

    [Fact]
    public void GpuClustering_TiersByAffinityTags()
    {
        var onlyShares = Make.State(Eight, [500, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
        var mixed = onlyShares.WithPod(Make.Pod(gpus: 1), [1], 1);
        var onlyWhole = NodeState.Empty(Eight).WithPod(Make.Pod(gpus: 1), [0], 1);

        var scores = Score(new GpuClusteringScorer(), Make.Share(200), onlyShares, mixed, NodeState.Empty(Eight), onlyWhole);

        // base = 25·(8000 − idle) div 8000: idle 7500 → 1, 6500 → 4, 8000 → 0, 7000 → 3.
        Assert.Equal([76, 54, 25, 3], scores);
        Assert.Equal([0], Score(new GpuClusteringScorer(), Make.Pod(), onlyShares));
    }

    [Fact]
    public void DotProd_SmallerProductScoresHigher()
    {
        var half = Make.State(Eight, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], cpuFree: 64_000);
        var full = NodeState.Empty(Eight);

        var scores = Score(new DotProdScorer(), Make.Pod(cpuMilli: 8000, gpus: 1), half, full);

        // dot = 0.5·0.0625 + 1·0.125 = 0.15625 → trunc(100·(1 − 0.078125)) = 92; full: 0.0625 + 0.125 → 90.
        Assert.Equal([92, 90], scores);
    }

    [Fact]
    public void BestFit_MinMaxNormalisedOverCandidates()
    {
        var tight = Make.State(Eight, [0, 0, 0, 0, 0, 0, 1000, 1000], cpuFree: 16_000);
        var loose = NodeState.Empty(Eight);
        var middle = Make.State(Eight, [0, 0, 0, 0, 1000, 1000, 1000, 1000], cpuFree: 64_000);

        var scores = Score(new BestFitScorer(), Make.Pod(cpuMilli: 8000, gpus: 1), tight, loose, middle);

        Assert.Equal(100, scores[0]);
        Assert.Equal(0, scores[1]);
        Assert.InRange(scores[2], 1, 99);
    }

    [Fact]
    public void Fgd_PrefersPlacementThatReducesFragmentation_AndPicksThatCard()
    {
        var model = FragmentationModel.FromTasks([new TypicalTask(0, 600, 1, [], 1, 1.0)]);
        var partly = Make.State(Two, [500, 1000]);
        var empty = NodeState.Empty(Two);
        var sut = new FgdScorer();
        var pre = sut.PreScore(Make.Share(500, cpuMilli: 0), Context(model));
        var scores = new int[2];

        sut.Score(pre, [partly, empty], scores);
        Span<int> cards = stackalloc int[1];
        var n = sut.SelectCards(pre, partly, cards);

        // partly: F 500 → 0 on card 0 (trunc(100·σ(0.5)) = 62), → 1000 on card 1 (37); empty: 0 → 500 (37).
        Assert.Equal([62, 37], scores);
        Assert.Equal(1, n);
        Assert.Equal(0, cards[0]);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(500, 62)]
    [InlineData(-500, 37)]
    [InlineData(40, 50)]
    [InlineData(41, 51)]
    [InlineData(1e6, 100)]
    public void Fgd_ToScore_TruncatesSigmoid(double delta, int expected)
    {
        Assert.Equal(expected, FgdScorer.ToScore(delta));
    }

    [Fact]
    public void Random_ExactlyOneNodeGetsMax()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => NodeState.Empty(Make.Node($"n{i}"))).ToArray();

        var scores = Score(new RandomScorer(), Make.Pod(gpus: 1), nodes);

        Assert.Single(scores, s => s == 100);
        Assert.Equal(4, scores.Count(s => s == 0));
    }

    [Fact]
    public void NodeResources_MostAndLeastAllocated_AverageOverResourcesTheNodeHas()
    {
        var node = Make.Node("n", cpuMilli: 10_000, gpus: 4, memoryMiB: 10 * 1024);
        var pod = Make.Pod(cpuMilli: 5_000, gpus: 1, memoryMiB: 5 * 1024);
        var cpuNode = Make.Node("c", cpuMilli: 10_000, gpus: 0, memoryMiB: 10 * 1024);

        var most = Score(new NodeResourcesScorer(mostAllocated: true), pod, NodeState.Empty(node));
        var least = Score(new NodeResourcesScorer(mostAllocated: false), pod, NodeState.Empty(node));
        var cpuOnly = Score(new NodeResourcesScorer(mostAllocated: true), Make.Pod(cpuMilli: 5_000, memoryMiB: 1024), NodeState.Empty(cpuNode));

        Assert.Equal([(50 + 50 + 25) / 3], most);
        Assert.Equal([(50 + 50 + 75) / 3], least);
        Assert.Equal([(50 + 10) / 2], cpuOnly);
    }

    [Fact]
    public void Registry_KnowsEveryDecidedName_CaseInsensitively()
    {
        var sut = ScorerRegistry.CreateDefault();

        foreach (var name in new[] { "Random", "DotProd", "GpuClustering", "GpuPacking", "BestFit", "FGD", "MostAllocated", "LeastAllocated" })
        {
            Assert.Equal(name, sut.Create(name.ToLowerInvariant()).Name);
        }

        var error = Assert.Throws<ArgumentException>(() => sut.Create("Bogus"));
        Assert.Contains("Known policies: Random, DotProd", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 0, 50, 100 }, new long[] { 0, 5, 10 })]
    [InlineData(new[] { 7, 7 }, new long[] { 0, 0 })]
    [InlineData(new[] { 10, 11, 14 }, new long[] { 0, 3, 10 })]
    [InlineData(new[] { 62 }, new long[] { 0 })]
    public void ToExtenderRange_MinMaxRounded(int[] scores, long[] expected)
    {
        var mapped = new long[scores.Length];

        ScoreNormalization.ToExtenderRange(scores, mapped);

        Assert.Equal(expected, mapped);
    }

    [Theory]
    [InlineData(new[] { 30, 90, 60 }, new long[] { 8, 10, 9 })]
    [InlineData(new[] { 5 }, new long[] { 10 })]
    [InlineData(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, new long[] { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void ToExtenderRangeByRank_DistinctScores_TenDownByScore(int[] scores, long[] expected)
    {
        var keys = new ulong[scores.Length];
        var mapped = new long[scores.Length];

        ScoreNormalization.ToExtenderRangeByRank(scores, keys, mapped);

        Assert.Equal(expected, mapped);
    }

    [Fact]
    public void ToExtenderRangeByRank_EqualScores_LowerOrderKeyFirst()
    {
        int[] scores = [50, 50, 50, 70];
        ulong[] keys = [30, 10, 20, 99];
        var mapped = new long[scores.Length];

        ScoreNormalization.ToExtenderRangeByRank(scores, keys, mapped);

        Assert.Equal([7, 9, 8, 10], mapped);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 3000)]
    [InlineData(4, 12)]
    public void ToExtenderRangeByRank_LazyKeys_SameAsAllKeysAndAsksOnlyContenders(int seed, int count)
    {
        var random = new System.Random(seed);
        var scores = new int[count];
        var keys = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            scores[i] = random.Next(0, 4) * 30; // 0, 30, 60, 90: many ties
            keys[i] = ScoreNormalization.NodeOrderKey($"node-{i}");
        }

        var expected = new long[count];
        ScoreNormalization.ToExtenderRangeByRank(scores, keys, expected);
        var asked = new List<int>();
        var mapped = new long[count];

        ScoreNormalization.ToExtenderRangeByRank(scores, i => { asked.Add(i); return keys[i]; }, mapped);

        Assert.Equal(expected, mapped);
        Assert.Equal(Math.Min(count, 10), mapped.Count(m => m > 0));
        Assert.Equal(asked.Count, asked.Distinct().Count());
        var tenth = scores.OrderDescending().ElementAt(Math.Min(count, 10) - 1);
        Assert.Equal(scores.Count(s => s >= tenth), asked.Count);
    }

    [Fact]
    public void NodeOrderKey_SameNameSameKey_DifferentNamesDiffer()
    {
        Assert.Equal(ScoreNormalization.NodeOrderKey("gpu-node-17"), ScoreNormalization.NodeOrderKey(new string("gpu-node-17".AsSpan())));
        Assert.NotEqual(ScoreNormalization.NodeOrderKey("gpu-node-17"), ScoreNormalization.NodeOrderKey("gpu-node-18"));
    }

    public static TheoryData<string> IndependentScorers() => ["FGD", "GpuPacking", "DotProd", "GpuClustering", "MostAllocated", "LeastAllocated"];

    [Theory]
    [MemberData(nameof(IndependentScorers))]
    public void ScoresNodesIndependently_SplitBatchScoredConcurrently_SameAsOneCall(string policy)
    {
        var sut = ScorerRegistry.CreateDefault().Create(policy);
        var random = new System.Random(7);
        var nodes = new NodeState[400];
        for (var i = 0; i < nodes.Length; i++)
        {
            var cards = new int[8];
            for (var c = 0; c < cards.Length; c++)
            {
                cards[c] = random.Next(0, 5) * 250;
            }

            nodes[i] = Make.State(Make.Node($"n{i}", cpuMilli: 128_000), cards, cpuFree: random.Next(8, 128) * 1000);
        }

        var model = FragmentationModel.FromTasks([new TypicalTask(4_000, 500, 1, [], 5, 0.5), new TypicalTask(8_000, 1000, 1, [], 3, 0.3), new TypicalTask(16_000, 1000, 4, [], 2, 0.2)]);
        var pod = Make.Share(500, cpuMilli: 4_000);
        var whole = new int[nodes.Length];
        sut.Score(sut.PreScore(pod, Context(model)), nodes, whole);
        var parts = new int[nodes.Length];
        var pre = sut.PreScore(pod, Context(model));

        Parallel.For(0, 8, c => sut.Score(pre, nodes.AsSpan(c * 50, 50), parts.AsSpan(c * 50, 50)));

        Assert.True(sut.ScoresNodesIndependently);
        Assert.Equal(whole, parts);
    }

    [Theory]
    [InlineData("BestFit")]
    [InlineData("Random")]
    public void ScoresNodesIndependently_BatchWideScorers_False(string policy)
    {
        Assert.False(ScorerRegistry.CreateDefault().Create(policy).ScoresNodesIndependently);
    }

    [Fact]
    public void Fgd_ManyShapesInTurnOnTheSameNodeStates_ScoreAsOnFreshStates()
    {
        // More shapes than the per-node cache has slots, including two (16 cores, 2 GPUs and
        // 4 cores, no GPU) that hash to the same slot: whatever is cached or evicted, every score
        // and share card equals the uncached computation on a fresh copy of the node state.
        var model = FragmentationModel.FromTasks([new TypicalTask(4_000, 500, 1, [], 5, 0.5), new TypicalTask(8_000, 1000, 1, [], 3, 0.3), new TypicalTask(16_000, 1000, 4, [], 2, 0.2)]);
        var random = new System.Random(7);
        var shapes = new List<PodDemand> { Make.Pod(cpuMilli: 16_000, gpus: 2), Make.Pod(cpuMilli: 4_000) };
        for (var i = 0; i < 40; i++)
        {
            shapes.Add(random.Next(3) == 0 ? Make.Pod(cpuMilli: random.Next(1, 32) * 1000, gpus: random.Next(1, 5)) : Make.Share(random.Next(1, 10) * 100, cpuMilli: random.Next(1, 16) * 1000));
        }

        var cards = new[] { new[] { 1000, 1000, 500, 250, 0, 0, 1000, 750 }, new[] { 300, 1000, 1000, 1000, 1000, 1000, 1000, 1000 } };
        var cached = cards.Select(c => Make.State(Make.Node("n", cpuMilli: 128_000), c, cpuFree: 100_000)).ToArray();
        var sut = new FgdScorer();
        for (var round = 0; round < 3; round++)
        {
            foreach (var pod in shapes.OrderBy(_ => random.Next()))
            {
                for (var n = 0; n < cached.Length; n++)
                {
                    var fresh = Make.State(Make.Node("n", cpuMilli: 128_000), cards[n], cpuFree: 100_000);
                    var freshCards = new int[8];
                    var cachedCards = new int[8];
                    var expected = sut.SelectCards(sut.PreScore(pod, Context(model)), fresh, freshCards);
                    var scores = new int[2];
                    sut.Score(sut.PreScore(pod, Context(model)), [cached[n], fresh], scores);
                    Assert.Equal(scores[1], scores[0]);
                    Assert.Equal(expected, sut.SelectCards(sut.PreScore(pod, Context(model)), cached[n], cachedCards));
                    Assert.Equal(freshCards, cachedCards);
                }
            }
        }
    }
}
