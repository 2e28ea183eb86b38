using System.Collections.Immutable;
using Lepton.Models.Features;

namespace Lepton.Models.Onnx;

/// <summary>
/// What a model bundle must look like to be used: its kind, feature schema version and names,
/// and its input and output tensors ([N, features] in, [N, outputs] out, float).
/// </summary>
/// <param name="Kind">The bundle kind (<c>policy</c> or <c>predictor</c>).</param>
/// <param name="Version">The feature schema version.</param>
/// <param name="FeatureNames">The feature names, in column order.</param>
/// <param name="OutputWidth">Outputs per row.</param>
public sealed record ModelSchema(string Kind, string Version, ImmutableArray<string> FeatureNames, int OutputWidth = 1)
{
    /// <summary>The input tensor's name.</summary>
    public const string InputName = "features";

    /// <summary>The output tensor's name.</summary>
    public const string OutputName = "score";

    /// <summary>The placement policy: <see cref="FeatureSchema"/> rows in, one score per row out.</summary>
    public static ModelSchema Policy { get; } = new("policy", FeatureSchema.Version, FeatureSchema.Names);

    /// <summary>The duration predictor: job features in, quantiles of ln(run seconds) out (<see cref="Prediction.PredictorQuantiles"/>).</summary>
    public static ModelSchema Predictor { get; } = new("predictor", Features.PredictorFeatures.Version, Features.PredictorFeatures.Names, Prediction.PredictorQuantiles.Count);

    /// <summary>The feature count.</summary>
    public int FeatureCount => FeatureNames.Length;
}
