namespace Lepton.Operator.Prediction;

/// <summary>
/// What a LeptonJob's status says about its run time (<see cref="JobPredictionRules.Decide"/>): the duration that orders
/// it, where that came from, which model made or checked it, and why a declared duration was not honoured.
/// </summary>
/// <param name="Duration">The duration for <c>status.predictedDuration</c> (<see cref="DurationText.Format"/>, or the declared text as written), or null for none.</param>
/// <param name="Seconds">The same duration in seconds, or null.</param>
/// <param name="Source">A <see cref="PredictionSources"/> value, or null for none.</param>
/// <param name="Model">The predictor version that predicted (also when the declared duration won), or null when none did.</param>
/// <param name="Message">Why the declared duration was not used, or why there is none; null when nothing needs saying.</param>
public sealed record JobPrediction(string? Duration, double? Seconds, string? Source, string? Model, string? Message)
{
    /// <summary>No duration orders the job (FIFO among its priority).</summary>
    public static JobPrediction None { get; } = new(null, null, null, null, null);
}
