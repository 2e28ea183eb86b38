using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Fit;

/// <summary>
/// Chooses the cards a pod takes on a node. Whole-GPU pods always take the first fully free
/// cards in index order (as the FGD artifact does for every policy); fractional pods take a card
/// chosen by the policy's rule.
/// </summary>
public static class CardSelection
{
    /// <summary>How a policy chooses the card for a fractional share.</summary>
    public enum ShareRule
    {
        /// <summary>The card with the least free milli that still fits; lowest index on ties.</summary>
        BestFit,

        /// <summary>The card with the most free milli; lowest index on ties (spreads shares).</summary>
        MostFree,
    }

    /// <summary>
    /// Selects cards for a pod with a deterministic rule.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="rule">The rule for fractional shares.</param>
    /// <param name="cards">Receives the chosen card indices (length ≥ the pod's card count).</param>
    /// <returns>The number of cards written (0 for a pod without GPUs), or -1 when the pod does not fit the cards.</returns>
    public static int Select(PodDemand pod, ReadOnlySpan<int> cardFree, ShareRule rule, Span<int> cards)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!pod.NeedsGpu)
        {
            return 0;
        }

        if (pod.GpuMilli >= 1000)
        {
            return FirstFree(cardFree, pod.GpuCount, cards);
        }

        if (pod.GpuCount == 1)
        {
            var c = rule == ShareRule.BestFit ? BestFit(cardFree, pod.GpuMilli) : MostFree(cardFree, pod.GpuMilli);
            if (c < 0)
            {
                return -1;
            }

            cards[0] = c;
            return 1;
        }

        return DistinctByLeastFree(cardFree, pod.GpuMilli, pod.GpuCount, cards);
    }

    /// <summary>The first <paramref name="count"/> fully free cards in index order.</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="count">Cards needed.</param>
    /// <param name="cards">Receives the indices.</param>
    /// <returns><paramref name="count"/>, or -1 when there are too few free cards.</returns>
    public static int FirstFree(ReadOnlySpan<int> cardFree, int count, Span<int> cards)
    {
        var n = 0;
        for (var i = 0; i < cardFree.Length && n < count; i++)
        {
            if (cardFree[i] >= 1000)
            {
                cards[n++] = i;
            }
        }

        return n == count ? n : -1;
    }

    /// <summary>The card with the least free milli that is still ≥ <paramref name="milli"/>; lowest index on ties.</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="milli">The share.</param>
    /// <returns>The card index, or -1.</returns>
    public static int BestFit(ReadOnlySpan<int> cardFree, int milli)
    {
        var best = -1;
        for (var i = 0; i < cardFree.Length; i++)
        {
            if (cardFree[i] >= milli && (best < 0 || cardFree[i] < cardFree[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The card with the most free milli (≥ <paramref name="milli"/>); lowest index on ties.</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="milli">The share.</param>
    /// <returns>The card index, or -1.</returns>
    public static int MostFree(ReadOnlySpan<int> cardFree, int milli)
    {
        var best = -1;
        for (var i = 0; i < cardFree.Length; i++)
        {
            if (cardFree[i] >= milli && (best < 0 || cardFree[i] > cardFree[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>A card chosen uniformly among those with ≥ <paramref name="milli"/> free (reservoir sampling).</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="milli">The share.</param>
    /// <param name="random">The random source.</param>
    /// <returns>The card index, or -1.</returns>
    public static int Uniform(ReadOnlySpan<int> cardFree, int milli, System.Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var chosen = -1;
        var seen = 0;
        for (var i = 0; i < cardFree.Length; i++)
        {
            if (cardFree[i] >= milli)
            {
                seen++;
                if (random.Next(seen) == 0)
                {
                    chosen = i;
                }
            }
        }

        return chosen;
    }

    /// <summary>
    /// Distinct cards for a multi-card fractional pod, least free first (stable). Lepton gives each
    /// of a pod's shares its own card, matching the fragmentation measure's count of distinct cards.
    /// </summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="milli">The share per card.</param>
    /// <param name="count">Cards needed.</param>
    /// <param name="cards">Receives the indices.</param>
    /// <returns><paramref name="count"/>, or -1.</returns>
    public static int DistinctByLeastFree(ReadOnlySpan<int> cardFree, int milli, int count, Span<int> cards)
    {
        Span<bool> used = cardFree.Length <= 256 ? stackalloc bool[cardFree.Length] : new bool[cardFree.Length];
        for (var n = 0; n < count; n++)
        {
            var best = -1;
            for (var i = 0; i < cardFree.Length; i++)
            {
                if (!used[i] && cardFree[i] >= milli && (best < 0 || cardFree[i] < cardFree[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return -1;
            }

            used[best] = true;
            cards[n] = best;
        }

        return count;
    }
}
