using System.Collections.Immutable;

namespace Lepton.Models.Training;

/// <summary>How well a duration predictor did on a set of held-out pods.</summary>
/// <param name="Pods">The pods evaluated.</param>
/// <param name="MaeLog">Mean absolute error of ln(run seconds).</param>
/// <param name="MedianRelativeError">Median of |predicted − actual| / actual, in seconds.</param>
/// <param name="Spearman">Spearman rank correlation of predicted with actual run times.</param>
/// <param name="Kendall">Kendall's tau-b of predicted with actual run times.</param>
/// <param name="Coverage">For a quantile model, per quantile level, the fraction of actual run times at or below the predicted quantile (calibrated: equal to the level); empty otherwise.</param>
public sealed record PredictorMetrics(int Pods, double MaeLog, double MedianRelativeError, double Spearman, double Kendall, ImmutableArray<double> Coverage)
{
    /// <summary>Computes the metrics.</summary>
    /// <param name="predictedLog">Predicted ln(seconds) (the median for a quantile model).</param>
    /// <param name="actualLog">Actual ln(seconds).</param>
    /// <param name="quantiles">For a quantile model, per pod the predicted quantiles of ln(seconds); else null.</param>
    /// <returns>The metrics.</returns>
    public static PredictorMetrics Of(IReadOnlyList<double> predictedLog, IReadOnlyList<double> actualLog, IReadOnlyList<double[]>? quantiles = null)
    {
        ArgumentNullException.ThrowIfNull(predictedLog);
        ArgumentNullException.ThrowIfNull(actualLog);
        var n = actualLog.Count;
        double mae = 0;
        var rel = new double[n];
        for (var i = 0; i < n; i++)
        {
            mae += Math.Abs(predictedLog[i] - actualLog[i]);
            var a = Math.Exp(actualLog[i]);
            rel[i] = Math.Abs(Math.Exp(predictedLog[i]) - a) / a;
        }

        Array.Sort(rel);
        var median = n == 0 ? double.NaN : n % 2 == 1 ? rel[n / 2] : (rel[(n / 2) - 1] + rel[n / 2]) / 2;
        var coverage = ImmutableArray<double>.Empty;
        if (quantiles is { Count: > 0 })
        {
            var levels = quantiles[0].Length;
            var builder = ImmutableArray.CreateBuilder<double>(levels);
            for (var q = 0; q < levels; q++)
            {
                var below = 0;
                for (var i = 0; i < n; i++)
                {
                    below += actualLog[i] <= quantiles[i][q] ? 1 : 0;
                }

                builder.Add((double)below / n);
            }

            coverage = builder.MoveToImmutable();
        }

        return new PredictorMetrics(
            n,
            n == 0 ? double.NaN : mae / n,
            median,
            RankCorrelation.Spearman(predictedLog, actualLog),
            RankCorrelation.KendallTauB(predictedLog, actualLog),
            coverage);
    }
}
