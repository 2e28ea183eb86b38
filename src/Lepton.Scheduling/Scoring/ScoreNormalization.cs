namespace Lepton.Scheduling.Scoring;

/// <summary>
/// Score normalisations shared by scorers and the extender, and every 0..100 → 0..10 mapping
/// (<see cref="ScoreMapping"/>) in one place.
/// </summary>
public static class ScoreNormalization
{
    /// <summary>kube-scheduler's <c>MaxExtenderPriority</c>: an extender's scores are 0..10.</summary>
    public const int MaxExtenderPriority = 10;

    /// <summary>
    /// Maps node scores 0..100 to 0..10 with the chosen rule. When every score is equal, every
    /// node gets 0 (no preference), except with <see cref="ScoreMapping.StableRank"/>, which still
    /// ranks by node order.
    /// </summary>
    /// <param name="mapping">The rule.</param>
    /// <param name="scores">Policy scores 0..100, one per candidate.</param>
    /// <param name="mapped">Receives 0..10, one per candidate.</param>
    /// <param name="nodeOrder">The order key of the candidate at an index (<see cref="NodeOrderKey"/>); asked only by <see cref="ScoreMapping.StableRank"/>.</param>
    public static void Map(ScoreMapping mapping, ReadOnlySpan<int> scores, Span<long> mapped, Func<int, ulong> nodeOrder)
    {
        ArgumentNullException.ThrowIfNull(nodeOrder);
        if (scores.IsEmpty)
        {
            return;
        }

        switch (mapping)
        {
            case ScoreMapping.StableRank:
                ToExtenderRangeByRank(scores, nodeOrder, mapped);
                return;
            case ScoreMapping.MinMax:
                ToExtenderRange(scores, mapped);
                return;
            case ScoreMapping.Divide:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = Math.Clamp(scores[i] / 10, 0, MaxExtenderPriority);
                }

                return;
        }

        if (!Spread(scores, mapped, out var lo, out var hi))
        {
            return;
        }

        switch (mapping)
        {
            case ScoreMapping.MinMaxTruncated:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = ((long)scores[i] - lo) * MaxExtenderPriority / ((long)hi - lo);
                }

                return;
            case ScoreMapping.TopOnly:
                for (var i = 0; i < scores.Length; i++)
                {
                    mapped[i] = scores[i] == hi ? MaxExtenderPriority : 0;
                }

                return;
            case ScoreMapping.Rank:
                RankDistinct(scores, mapped);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(mapping), mapping, "Unknown score mapping.");
        }
    }

    /// <summary>The scores' minimum and maximum; false (and every mapped score 0) when they are all equal: no preference.</summary>
    private static bool Spread(ReadOnlySpan<int> scores, Span<long> mapped, out int lo, out int hi)
    {
        lo = int.MaxValue;
        hi = int.MinValue;
        foreach (var s in scores)
        {
            lo = Math.Min(lo, s);
            hi = Math.Max(hi, s);
        }

        if (hi != lo)
        {
            return true;
        }

        mapped[..scores.Length].Clear();
        return false;
    }

    private static void RankDistinct(ReadOnlySpan<int> scores, Span<long> mapped)
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

    /// <summary>
    /// Min-max normalises integer scores in place to 0..<paramref name="max"/> with integer
    /// division, as the FGD artifact's <c>NormalizeScore</c> does: (s − lo)·max / (hi − lo), all
    /// 0 when hi = lo.
    /// </summary>
    /// <param name="scores">The scores.</param>
    /// <param name="lo">Their minimum.</param>
    /// <param name="hi">Their maximum.</param>
    /// <param name="max">The top of the output range.</param>
    public static void MinMaxInPlace(Span<int> scores, int lo, int hi, int max)
    {
        if (scores.IsEmpty)
        {
            return;
        }

        if (hi == lo)
        {
            scores.Clear();
            return;
        }

        long range = (long)hi - lo;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = (int)(((long)scores[i] - lo) * max / range);
        }
    }

    /// <summary>
    /// Maps node scores 0..100 to the extender's 0..10 by min-max over the candidates, rounded to
    /// nearest: the best node gets 10, the worst 0 (DECISIONS.md 3). When all scores are equal the
    /// scorer expressed no preference, and every node gets 0 so that kube-scheduler's own scoring
    /// alone decides.
    /// </summary>
    /// <param name="scores">Scores 0..100.</param>
    /// <param name="mapped">Receives scores 0..10.</param>
    public static void ToExtenderRange(ReadOnlySpan<int> scores, Span<long> mapped)
    {
        if (scores.IsEmpty)
        {
            return;
        }

        if (!Spread(scores, mapped, out var lo, out var hi))
        {
            return;
        }

        double range = (double)hi - lo;
        for (var i = 0; i < scores.Length; i++)
        {
            var v = Math.Round((scores[i] - lo) * 10.0 / range, MidpointRounding.AwayFromZero);
            mapped[i] = Math.Clamp((long)v, 0, 10);
        }
    }

    /// <summary>
    /// Maps node scores to the extender's 0..10 by rank in one total order: score descending,
    /// then a fixed per-node order (<see cref="NodeOrderKey"/>) among equal scores. The first node
    /// gets 10, the next 9, … the tenth 1, the rest 0, so with an extender weight above 20
    /// kube-scheduler binds exactly the node the policy chose, ties included.
    /// </summary>
    /// <remarks>
    /// The FGD artifact breaks every score tie by a fixed random node priority, and FGD's integer
    /// scores tie often: breaking those ties afresh for every pod (kube-scheduler's uniform draw
    /// among equal totals) spreads shares over idle cards and roughly doubles the unallocated
    /// GPUs (docs/SIMULATOR.md section 5). A fixed order packs as the artifact's priority does.
    /// </remarks>
    /// <param name="scores">Scores 0..100.</param>
    /// <param name="nodeOrder">One key per node (lower first among equal scores), e.g. <see cref="NodeOrderKey"/> of its name.</param>
    /// <param name="mapped">Receives scores 0..10.</param>
    public static void ToExtenderRangeByRank(ReadOnlySpan<int> scores, ReadOnlySpan<ulong> nodeOrder, Span<long> mapped)
    {
        if (nodeOrder.Length < scores.Length)
        {
            throw new ArgumentException("One order key per score is needed.", nameof(nodeOrder));
        }

        var n = scores.Length;
        mapped[..n].Clear();

        // The top ten by (score desc, key asc), kept sorted by insertion.
        Span<int> top = stackalloc int[10];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var at = count;
            while (at > 0 && Before(scores, nodeOrder, i, top[at - 1]))
            {
                at--;
            }

            if (at >= top.Length)
            {
                continue;
            }

            var last = Math.Min(count, top.Length - 1);
            for (var j = last; j > at; j--)
            {
                top[j] = top[j - 1];
            }

            top[at] = i;
            count = Math.Min(count + 1, top.Length);
        }

        for (var r = 0; r < count; r++)
        {
            mapped[top[r]] = 10 - r;
        }

        static bool Before(ReadOnlySpan<int> s, ReadOnlySpan<ulong> k, int a, int b) => s[a] > s[b] || (s[a] == s[b] && k[a] < k[b]);
    }

    /// <summary>
    /// The same mapping as <see cref="ToExtenderRangeByRank(ReadOnlySpan{int}, ReadOnlySpan{ulong}, Span{long})"/>,
    /// asking for order keys only of the nodes that can rank in the top ten (score at least the
    /// tenth best score): a large batch then computes a handful of keys instead of one per node.
    /// </summary>
    /// <param name="scores">Scores 0..100 (values outside count as the nearest bound).</param>
    /// <param name="nodeOrder">The order key of the node at an index (called at most once per index).</param>
    /// <param name="mapped">Receives scores 0..10.</param>
    public static void ToExtenderRangeByRank(ReadOnlySpan<int> scores, Func<int, ulong> nodeOrder, Span<long> mapped)
    {
        ArgumentNullException.ThrowIfNull(nodeOrder);
        const int Ranked = 10;
        var n = scores.Length;
        mapped[..n].Clear();
        if (n == 0)
        {
            return;
        }

        // The tenth best score, counting equal scores: no node below it reaches the top ten.
        Span<int> histogram = stackalloc int[NodeScorer.MaxScore + 1];
        foreach (var s in scores)
        {
            histogram[Math.Clamp(s, 0, NodeScorer.MaxScore)]++;
        }

        var threshold = 0;
        var seen = 0;
        for (var v = NodeScorer.MaxScore; v >= 0; v--)
        {
            seen += histogram[v];
            if (seen >= Ranked)
            {
                threshold = v;
                break;
            }
        }

        var candidates = 0;
        foreach (var s in scores)
        {
            if (Math.Clamp(s, 0, NodeScorer.MaxScore) >= threshold)
            {
                candidates++;
            }
        }

        var index = System.Buffers.ArrayPool<int>.Shared.Rent(candidates);
        var sub = System.Buffers.ArrayPool<int>.Shared.Rent(candidates);
        var keys = System.Buffers.ArrayPool<ulong>.Shared.Rent(candidates);
        var subMapped = System.Buffers.ArrayPool<long>.Shared.Rent(candidates);
        try
        {
            var c = 0;
            for (var i = 0; i < n; i++)
            {
                var s = Math.Clamp(scores[i], 0, NodeScorer.MaxScore);
                if (s >= threshold)
                {
                    index[c] = i;
                    sub[c] = s;
                    keys[c] = nodeOrder(i);
                    c++;
                }
            }

            ToExtenderRangeByRank(sub.AsSpan(0, c), keys.AsSpan(0, c), subMapped.AsSpan(0, c));
            for (var j = 0; j < c; j++)
            {
                mapped[index[j]] = subMapped[j];
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(index);
            System.Buffers.ArrayPool<int>.Shared.Return(sub);
            System.Buffers.ArrayPool<ulong>.Shared.Return(keys);
            System.Buffers.ArrayPool<long>.Shared.Return(subMapped);
        }
    }

    /// <summary>
    /// A fixed pseudo-random order key for a node: 64-bit FNV-1a of its name. The same in every
    /// process and replica (unlike <see cref="string.GetHashCode()"/>), and unrelated to name order.
    /// </summary>
    /// <param name="nodeName">The node name.</param>
    /// <returns>The key.</returns>
    public static ulong NodeOrderKey(string nodeName)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        var hash = 14695981039346656037UL;
        foreach (var c in nodeName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // A final avalanche so names differing only in their last characters spread over the range.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
