using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Prediction;

/// <summary>Turns a predictor network's output row (quantiles of ln seconds) into a <see cref="DurationPrediction"/>.</summary>
public static class PredictionOutput
{
    /// <summary>The largest ln(seconds) served: about 15.9 years; larger outputs are clamped.</summary>
    public const double MaxLogSeconds = 20;

    /// <summary>Reads the median column.</summary>
    /// <param name="quantiles">One row of <see cref="PredictorQuantiles.Count"/> values.</param>
    /// <param name="version">The predictor's version.</param>
    /// <param name="prediction">The prediction, in seconds (at least 1).</param>
    /// <returns>False when the output is not finite (a broken model).</returns>
    public static bool TryRead(ReadOnlySpan<float> quantiles, string version, out DurationPrediction prediction)
    {
        var log = quantiles.Length > PredictorQuantiles.MedianIndex ? quantiles[PredictorQuantiles.MedianIndex] : float.NaN;
        if (!float.IsFinite(log))
        {
            prediction = default;
            return false;
        }

        prediction = new DurationPrediction(Math.Exp(Math.Clamp(log, 0, MaxLogSeconds)), DurationSource.Predicted, version);
        return true;
    }
}
