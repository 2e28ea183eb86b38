namespace Lepton.Models.Inference;

/// <summary>Metric labels of <see cref="FallbackReason"/>.</summary>
public static class FallbackReasonExtensions
{
    /// <summary>The <c>reason</c> label: missing, load_error, schema_mismatch, nan, inference_error (none for success).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The label.</returns>
    public static string ToLabel(this FallbackReason reason) => reason switch
    {
        FallbackReason.Missing => "missing",
        FallbackReason.LoadError => "load_error",
        FallbackReason.SchemaMismatch => "schema_mismatch",
        FallbackReason.Nan => "nan",
        FallbackReason.InferenceError => "inference_error",
        _ => "none",
    };
}
