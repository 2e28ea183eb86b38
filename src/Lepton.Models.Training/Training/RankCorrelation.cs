namespace Lepton.Models.Training;

/// <summary>Rank correlations of predictions with outcomes (what an SJF queue needs: order, not absolute error).</summary>
public static class RankCorrelation
{
    /// <summary>Spearman's rho: Pearson correlation of the ranks, ties given their average rank.</summary>
    /// <param name="x">One variable.</param>
    /// <param name="y">The other, same length.</param>
    /// <returns>rho in [-1, 1], or NaN for fewer than two values or a constant variable.</returns>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("The variables differ in length.", nameof(y));
        }

        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Kendall's tau-b (ties in either variable accounted for), by counting all pairs.</summary>
    /// <param name="x">One variable.</param>
    /// <param name="y">The other, same length.</param>
    /// <returns>tau-b in [-1, 1], or NaN for fewer than two values or a constant variable.</returns>
    public static double KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("The variables differ in length.", nameof(y));
        }

        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        var n = x.Count;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var dx = Math.Sign(x[i] - x[j]);
                var dy = Math.Sign(y[i] - y[j]);
                if (dx == 0 && dy == 0)
                {
                    continue;
                }

                if (dx == 0)
                {
                    tiesX++;
                }
                else if (dy == 0)
                {
                    tiesY++;
                }
                else if (dx == dy)
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }

        var denominator = Math.Sqrt((double)(concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }

    /// <summary>Ranks from 1, ties given their average rank.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The ranks, in the values' order.</returns>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end - 1) / 2.0) + 1;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    private static double Pearson(double[] a, double[] b)
    {
        if (a.Length < 2)
        {
            return double.NaN;
        }

        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }
}
