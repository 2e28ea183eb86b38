namespace Lepton.Scheduling.Scoring;

/// <summary>
/// The one definition of <c>lepton_scoring_fallback_total{reason}</c>. Two layers record it: the
/// extender (a prioritize answer of all-zero scores) and the model layer (the learned scorer
/// answered with its heuristic); both create the counter from these values, so on a shared
/// registry they get the same counter and the metric is described once.
/// </summary>
/// <remarks>
/// The definition lives in the core, with no Prometheus dependency, because neither recording
/// project references the other.
/// </remarks>
public static class ScoringFallbackMetric
{
    /// <summary>The metric name.</summary>
    public const string Name = "lepton_scoring_fallback_total";

    /// <summary>The help text.</summary>
    public const string Help =
        "Scoring that did not use the configured policy, by reason: the learned model fell back to its heuristic " +
        "(missing, load_error, schema_mismatch, nan, inference_error) or prioritize answered all-zero scores " +
        "(pod_unmappable, scorer_error, internal_error).";

    /// <summary>The label of the reason.</summary>
    public const string ReasonLabel = "reason";
}
