namespace Lepton.Scheduling.Scoring;

/// <summary>Score normalisations shared by scorers and the extender.</summary>
public static class ScoreNormalization
{
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

        double range = (double)hi - lo;
        for (var i = 0; i < scores.Length; i++)
        {
            var v = Math.Round((scores[i] - lo) * 10.0 / range, MidpointRounding.AwayFromZero);
            mapped[i] = Math.Clamp((long)v, 0, 10);
        }
    }
}
