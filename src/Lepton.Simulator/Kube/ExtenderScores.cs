using Lepton.Scheduling.Scoring;

namespace Lepton.Simulator.Kube;

/// <summary>The 0..100 → 0..10 mappings the kube mode compares (<see cref="ExtenderScoreMapping"/>).</summary>
public static class ExtenderScores
{
    /// <summary>kube-scheduler's <c>MaxExtenderPriority</c>.</summary>
    public const int MaxExtenderPriority = 10;

    /// <summary>
    /// Maps scores with the chosen rule. When every score is equal, every node gets 0 (no
    /// preference), except with <see cref="ExtenderScoreMapping.StableRank"/>, which still ranks by node order.
    /// </summary>
    /// <param name="mapping">The rule.</param>
    /// <param name="scores">Policy scores 0..100, one per candidate.</param>
    /// <param name="mapped">Receives 0..10, one per candidate.</param>
    /// <param name="nodeOrder">Per-candidate order keys (<see cref="ScoreNormalization.NodeOrderKey"/>); needed by <see cref="ExtenderScoreMapping.StableRank"/>.</param>
    public static void Map(ExtenderScoreMapping mapping, ReadOnlySpan<int> scores, Span<long> mapped, ReadOnlySpan<ulong> nodeOrder = default)
    {
        if (scores.IsEmpty)
        {
            return;
        }

        switch (mapping)
        {
            case ExtenderScoreMapping.StableRank:
                ScoreNormalization.ToExtenderRangeByRank(scores, nodeOrder, mapped);
                return;
            case ExtenderScoreMapping.MinMaxRounded:
                ScoreNormalization.ToExtenderRange(scores, mapped);
                return;
            case ExtenderScoreMapping.Divide:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = Math.Clamp(scores[i] / 10, 0, MaxExtenderPriority);
                }

                return;
        }

        int lo = int.MaxValue, hi = int.MinValue;
        foreach (var s in scores)
        {
            lo = Math.Min(lo, s);
            hi = Math.Max(hi, s);
        }

        if (hi == lo)
        {
            mapped[..scores.Length].Clear();
            return;
        }

        switch (mapping)
        {
            case ExtenderScoreMapping.MinMaxTruncated:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = ((long)scores[i] - lo) * MaxExtenderPriority / ((long)hi - lo);
                }

                return;
            case ExtenderScoreMapping.TopOnly:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = scores[i] == hi ? MaxExtenderPriority : 0;
                }

                return;
            case ExtenderScoreMapping.Rank:
                Rank(scores, mapped);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(mapping), mapping, "Unknown mapping.");
        }
    }

    private static void Rank(ReadOnlySpan<int> scores, Span<long> mapped)
    {
        // Distinct values above each score, counted over the clamped 0..100 range.
        Span<bool> present = stackalloc bool[NodeScorer.MaxScore + 1];
        foreach (var s in scores)
        {
            present[Math.Clamp(s, 0, NodeScorer.MaxScore)] = true;
        }

        Span<int> above = stackalloc int[NodeScorer.MaxScore + 1];
        var count = 0;
        for (var v = NodeScorer.MaxScore; v >= 0; v--)
        {
            above[v] = count;
            if (present[v])
            {
                count++;
            }
        }

        for (var i = 0; i < scores.Length; i++)
        {
            mapped[i] = Math.Max(0, MaxExtenderPriority - above[Math.Clamp(scores[i], 0, NodeScorer.MaxScore)]);
        }
    }
}
