namespace Lepton.Models.Training;

/// <summary>Held-out accuracy of a lifetime prediction.</summary>
/// <param name="MaeLog">Mean absolute error of ln(lifetime seconds).</param>
/// <param name="MedianRelativeError">Median of |predicted − actual| / actual, lifetimes in seconds.</param>
public readonly record struct RegressionMetrics(double MaeLog, double MedianRelativeError)
{
    /// <summary>Computes the metrics.</summary>
    /// <param name="predictedLog">Predicted ln(seconds).</param>
    /// <param name="actualLog">Actual ln(seconds).</param>
    /// <returns>The metrics.</returns>
    public static RegressionMetrics Of(IReadOnlyList<double> predictedLog, IReadOnlyList<double> actualLog)
    {
        ArgumentNullException.ThrowIfNull(predictedLog);
        ArgumentNullException.ThrowIfNull(actualLog);
        double mae = 0;
        var rel = new double[actualLog.Count];
        for (var i = 0; i < rel.Length; i++)
        {
            mae += Math.Abs(predictedLog[i] - actualLog[i]);
            var a = Math.Exp(actualLog[i]);
            rel[i] = Math.Abs(Math.Exp(predictedLog[i]) - a) / a;
        }

        Array.Sort(rel);
        var median = rel.Length == 0 ? double.NaN : rel.Length % 2 == 1 ? rel[rel.Length / 2] : (rel[(rel.Length / 2) - 1] + rel[rel.Length / 2]) / 2;
        return new RegressionMetrics(rel.Length == 0 ? double.NaN : mae / rel.Length, median);
    }
}
