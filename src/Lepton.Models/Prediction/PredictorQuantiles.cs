using System.Collections.Immutable;

namespace Lepton.Models.Prediction;

/// <summary>
/// What a <c>lepton.predictor-features/v2</c> bundle outputs: one column per quantile of ln(run seconds), in this
/// order. The served prediction is the median column; the outer columns say how uncertain it is.
/// </summary>
public static class PredictorQuantiles
{
    /// <summary>The quantile levels, in output column order.</summary>
    public static ImmutableArray<double> Levels { get; } = [0.1, 0.5, 0.9];

    /// <summary>The median column.</summary>
    public const int MedianIndex = 1;

    /// <summary>The output width.</summary>
    public static int Count => Levels.Length;

    /// <summary>The bundle's <c>lepton.output</c> text.</summary>
    public static string Description { get; } =
        "quantiles 0.1, 0.5, 0.9 of ln(run seconds) of the job, one column each; the served prediction is exp(column 1) seconds";
}
