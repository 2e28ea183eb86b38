using System.Collections.Immutable;

namespace Lepton.Models.Features;

/// <summary>
/// The versioned layout of one feature row (<c>docs/MODELS.md</c>): pod features, node features
/// and pod-node pair features, <see cref="Count"/> floats in this order. A model records the
/// version and the names it was trained on; the loader refuses any other layout.
/// </summary>
public static class FeatureSchema
{
    /// <summary>The schema version stored in every model bundle.</summary>
    public const string Version = "lepton.features/v1";

    /// <summary>Pod features: the first <see cref="PodCount"/> columns.</summary>
    public const int PodCount = 12;

    /// <summary>Index of the pod's predicted log-duration (<c>pod.predicted_log_duration</c>).</summary>
    public const int PredictedLogDuration = 11;

    /// <summary>Index of the FGD score / 100 (<c>pair.fgd_score</c>).</summary>
    public const int FgdScore = 24;

    /// <summary>Index of the FGD fragmentation decrease / 1000 (<c>pair.fgd_delta</c>).</summary>
    public const int FgdDelta = 23;

    /// <summary>The number of features in a row.</summary>
    public const int Count = 32;

    /// <summary>Feature names, in column order.</summary>
    public static ImmutableArray<string> Names { get; } =
    [
        // Pod (0..11).
        "pod.cpu", "pod.memory", "pod.gpu_milli", "pod.gpu_count", "pod.gpu_total", "pod.is_sharing",
        "pod.is_cpu_only", "pod.model_constraints", "pod.qos_ls", "pod.qos_burstable", "pod.qos_be",
        "pod.predicted_log_duration",

        // Node (12..22).
        "node.gpu_cards", "node.idle", "node.fully_free_cards", "node.max_card_free", "node.min_card_free",
        "node.partial_cards", "node.cpu_free_frac", "node.memory_free_frac", "node.cpu_free", "node.frag",
        "node.frag_ratio",

        // Pair (23..31).
        "pair.fgd_delta", "pair.fgd_score", "pair.frag_after", "pair.gpu_slack", "pair.cpu_slack",
        "pair.model_match", "pair.bestfit", "pair.dotprod", "pair.share_on_used_card",
    ];

    /// <summary>The names joined with commas, as stored in a bundle's metadata.</summary>
    public static string JoinedNames => string.Join(',', Names);
}
