using Lepton.Scheduling.Scoring;

namespace Lepton.Scheduling.Tests.Scoring;

public class ScoreMappingTests
{
    [Theory]
    [InlineData(ScoreMapping.MinMax, new[] { 50, 95, 100, 40 }, new long[] { 2, 9, 10, 0 })]
    [InlineData(ScoreMapping.MinMaxTruncated, new[] { 50, 95, 100, 40 }, new long[] { 1, 9, 10, 0 })]
    [InlineData(ScoreMapping.Rank, new[] { 50, 95, 100, 40, 95 }, new long[] { 8, 9, 10, 7, 9 })]
    [InlineData(ScoreMapping.Divide, new[] { 50, 95, 100, 9 }, new long[] { 5, 9, 10, 0 })]
    [InlineData(ScoreMapping.TopOnly, new[] { 50, 100, 100, 40 }, new long[] { 0, 10, 10, 0 })]
    [InlineData(ScoreMapping.MinMax, new[] { 7, 7 }, new long[] { 0, 0 })]
    [InlineData(ScoreMapping.Rank, new[] { 7, 7 }, new long[] { 0, 0 })]
    public void Map_Scores_GivesExtenderRange(ScoreMapping mapping, int[] scores, long[] expected)
    {
        var mapped = new long[scores.Length];

        ScoreNormalization.Map(mapping, scores, mapped, static _ => 0UL);

        Assert.Equal(expected, mapped);
    }

    [Fact]
    public void Map_Rank_FloorsAtZeroBeyondTenDistinctScores()
    {
        var scores = Enumerable.Range(0, 15).Select(i => 100 - i).ToArray();
        var mapped = new long[scores.Length];

        ScoreNormalization.Map(ScoreMapping.Rank, scores, mapped, static _ => 0UL);

        Assert.Equal([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0], mapped);
    }

    [Fact]
    public void Map_StableRank_BreaksTiesByNodeOrderAndRanksTheTopTen()
    {
        int[] scores = [50, 100, 100, 40, .. Enumerable.Repeat(10, 10)];
        ulong[] order = [3, 2, 1, 4, .. Enumerable.Range(10, 10).Select(i => (ulong)i)];
        var mapped = new long[scores.Length];

        ScoreNormalization.Map(ScoreMapping.StableRank, scores, mapped, i => order[i]);

        Assert.Equal([8, 9, 10, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0], mapped);
    }

    [Fact]
    public void Map_StableRank_AllEqual_StillRanksByNodeOrder()
    {
        var mapped = new long[3];

        ulong[] order = [30UL, 10UL, 20UL];

        ScoreNormalization.Map(ScoreMapping.StableRank, [5, 5, 5], mapped, i => order[i]);

        Assert.Equal([8, 10, 9], mapped);
    }

    [Fact]
    public void NodeOrderKey_IsStableAndSpreadsSimilarNames()
    {
        var a = ScoreNormalization.NodeOrderKey("openb-node-0001");
        var b = ScoreNormalization.NodeOrderKey("openb-node-0002");

        Assert.Equal(a, ScoreNormalization.NodeOrderKey("openb-node-0001"));
        Assert.NotEqual(a, b);
        var keys = Enumerable.Range(0, 1000).Select(i => ScoreNormalization.NodeOrderKey($"openb-node-{i:D4}")).ToArray();
        var byKey = Enumerable.Range(0, 1000).OrderBy(i => keys[i]).ToArray();
        Assert.NotEqual(Enumerable.Range(0, 1000), byKey); // not name order
    }
}
