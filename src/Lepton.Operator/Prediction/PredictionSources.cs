namespace Lepton.Operator.Prediction;

/// <summary>The values of <c>status.predictedDurationSource</c>: where the duration that orders a LeptonJob came from.</summary>
public static class PredictionSources
{
    /// <summary>The duration predictor's estimate (<c>status.predictionModel</c> names the model).</summary>
    public const string Predicted = "Predicted";

    /// <summary>The user's <c>spec.expectedDuration</c>, honoured under the rule of <see cref="JobPredictionRules"/>.</summary>
    public const string Declared = "Declared";
}
