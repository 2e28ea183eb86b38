using Lepton.Models.Training;

namespace Lepton.Models.Tests.Training;

public class RankCorrelationTests
{
    [Fact]
    public void Spearman_OneSwap_TextbookValue()
    {
        // Rank differences 0, 1, -1, 0: rho = 1 - 6·2 / (4·15) = 0.8.
        Assert.Equal(0.8, RankCorrelation.Spearman([1, 2, 3, 4], [1, 3, 2, 4]), 12);
    }

    [Fact]
    public void KendallTauB_OneSwap_FiveConcordantOneDiscordant()
    {
        Assert.Equal(4.0 / 6, RankCorrelation.KendallTauB([1, 2, 3, 4], [1, 3, 2, 4]), 12);
    }

    [Fact]
    public void KendallTauB_TieInX_TauBCorrection()
    {
        // Pairs: one tied in x, two concordant: 2 / sqrt((3 - 1) · 3).
        Assert.Equal(2 / Math.Sqrt(6), RankCorrelation.KendallTauB([1, 1, 2], [1, 2, 3]), 12);
    }

    [Fact]
    public void Spearman_Reversed_MinusOne()
    {
        Assert.Equal(-1, RankCorrelation.Spearman([1, 2, 3, 4, 5], [50, 40, 30, 20, 10]), 12);
    }

    [Fact]
    public void Spearman_Constant_NaN()
    {
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void Ranks_Ties_AverageRank()
    {
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.Ranks([10, 20, 20, 30]));
    }
}
