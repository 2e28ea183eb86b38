using Lepton.Scheduling.Fit;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Fit;

public class CardSelectionTests
{
    [Fact]
    public void Select_WholeGpus_TakesFirstFreeCardsInIndexOrder()
    {
        Span<int> cards = stackalloc int[2];

        var n = CardSelection.Select(Make.Pod(gpus: 2), [500, 1000, 0, 1000, 1000], CardSelection.ShareRule.BestFit, cards);

        Assert.Equal(2, n);
        Assert.Equal([1, 3], cards.ToArray());
    }

    [Fact]
    public void Select_ShareBestFit_TakesTightestCardLowestIndexOnTies()
    {
        Span<int> cards = stackalloc int[1];

        CardSelection.Select(Make.Share(300), [1000, 400, 350, 350, 200], CardSelection.ShareRule.BestFit, cards);

        Assert.Equal(2, cards[0]);
    }

    [Fact]
    public void Select_ShareMostFree_Spreads()
    {
        Span<int> cards = stackalloc int[1];

        CardSelection.Select(Make.Share(300), [400, 1000, 1000], CardSelection.ShareRule.MostFree, cards);

        Assert.Equal(1, cards[0]);
    }

    [Fact]
    public void Uniform_SeededRandom_PicksOnlyFittingCardsAndCoversThem()
    {
        var random = new System.Random(7);
        var seen = new HashSet<int>();
        for (var i = 0; i < 200; i++)
        {
            seen.Add(CardSelection.Uniform([100, 600, 50, 900], 500, random));
        }

        Assert.Equal([1, 3], seen.Order());
    }

    [Fact]
    public void Select_NotEnoughCards_ReturnsMinusOne()
    {
        Span<int> cards = stackalloc int[3];

        Assert.Equal(-1, CardSelection.Select(Make.Pod(gpus: 3), [1000, 1000, 999], CardSelection.ShareRule.BestFit, cards));
        Assert.Equal(0, CardSelection.Select(Make.Pod(), [1000], CardSelection.ShareRule.BestFit, cards));
    }
}
