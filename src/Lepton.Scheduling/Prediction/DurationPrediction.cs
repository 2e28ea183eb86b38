namespace Lepton.Scheduling.Prediction;

/// <summary>A predicted run duration and where it came from.</summary>
/// <param name="Seconds">The run duration in seconds (finite, positive).</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Version">The predictor's version (a model bundle's version, or a baseline's name).</param>
public readonly record struct DurationPrediction(double Seconds, DurationSource Source, string Version);
