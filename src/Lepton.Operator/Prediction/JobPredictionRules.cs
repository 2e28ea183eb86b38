using System.Globalization;
using Lepton.Operator.Entities;
using Lepton.Scheduling.Prediction;

namespace Lepton.Operator.Prediction;

/// <summary>
/// Which duration orders a Training LeptonJob (DECISIONS.md 22), from its <c>spec.expectedDuration</c> D, its
/// <c>spec.maxRuntime</c> M and the predictor's estimate P:
/// <list type="bullet">
/// <item>no D: P (source <c>Predicted</c>), or nothing when there is no prediction;</item>
/// <item>D at least P: D (source <c>Declared</c>); declaring a longer run only moves the job back;</item>
/// <item>D shorter than P, or no P to check D against: D only when M is set and at most
/// <see cref="DeclaredBoundFactor"/> × D (the operator stops the job at M, so the claim is bounded); otherwise P orders
/// the job (or nothing does, without a prediction) and the status message says why D was not used. So nobody jumps
/// the queue by writing <c>expectedDuration: 1s</c>.</item>
/// </list>
/// Inference jobs (long-running services) get no duration at all: they keep priority-then-creation order.
/// </summary>
public static class JobPredictionRules
{
    /// <summary>A declared duration shorter than the prediction is honoured only when <c>maxRuntime</c> is at most this many times it.</summary>
    public const double DeclaredBoundFactor = 2.0;

    /// <summary>Decides what the status says.</summary>
    /// <param name="declared">The job's <c>spec.expectedDuration</c> as written, or null.</param>
    /// <param name="maxRuntime">The job's <c>spec.maxRuntime</c> as written, or null.</param>
    /// <param name="prediction">The predictor's estimate, or null when there is none.</param>
    /// <returns>The duration, its source, the model and a message.</returns>
    public static JobPrediction Decide(string? declared, string? maxRuntime, DurationPrediction? prediction)
    {
        var c = CultureInfo.InvariantCulture;
        JobPrediction? predicted = prediction is { } p && double.IsFinite(p.Seconds) && p.Seconds > 0
            ? new JobPrediction(DurationText.Format(p.Seconds), p.Seconds, PredictionSources.Predicted, p.Version, null)
            : null;
        if (!GoDuration.TryParse(declared, out var d) || d <= TimeSpan.Zero)
        {
            return predicted ?? JobPrediction.None;
        }

        var declaredSeconds = d.TotalSeconds;
        var model = predicted?.Model;
        if (predicted is not null && declaredSeconds >= predicted.Seconds)
        {
            return new JobPrediction(declared, declaredSeconds, PredictionSources.Declared, model, null);
        }

        var bounded = GoDuration.TryParse(maxRuntime, out var m) && m > TimeSpan.Zero && m.TotalSeconds <= DeclaredBoundFactor * declaredSeconds;
        if (bounded)
        {
            return new JobPrediction(declared, declaredSeconds, PredictionSources.Declared, model, null);
        }

        var why = maxRuntime is null
            ? "maxRuntime is not set"
            : string.Create(c, $"maxRuntime {maxRuntime} is more than {DeclaredBoundFactor:0.#}x it");
        return predicted is not null
            ? predicted with
            {
                Message = string.Create(c, $"expectedDuration {declared} is shorter than the prediction {predicted.Duration} and {why}, so the prediction orders the job"),
            }
            : JobPrediction.None with
            {
                Message = string.Create(c, $"expectedDuration {declared} cannot be checked against a prediction and {why}, so it does not order the job"),
            };
    }
}
