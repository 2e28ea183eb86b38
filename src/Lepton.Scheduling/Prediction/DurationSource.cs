namespace Lepton.Scheduling.Prediction;

/// <summary>Where a duration used for ordering came from.</summary>
public enum DurationSource
{
    /// <summary>A predictor's estimate.</summary>
    Predicted,

    /// <summary>The user's declared duration (a LeptonJob's <c>spec.expectedDuration</c>).</summary>
    Declared,

    /// <summary>The true duration (simulation only: the bound a predictor is measured against).</summary>
    Oracle,
}
