namespace Lepton.Models.Training;

/// <summary>One trace's held-out pods (submitted at or after the cut), scored by each predictor.</summary>
/// <param name="Trace">The trace's short name.</param>
/// <param name="Model">The learned predictor.</param>
/// <param name="Baseline">The class-median baseline (median of the same request shape's finished jobs).</param>
/// <param name="RequestOnly">The same network trained without history features, when it was trained; else null.</param>
public sealed record PredictorEvaluation(string Trace, PredictorMetrics Model, PredictorMetrics Baseline, PredictorMetrics? RequestOnly);
