namespace Lepton.Models.Inference;

/// <summary>Why a scoring call used the heuristic instead of the model (<c>lepton_scoring_fallback_total{reason}</c>).</summary>
public enum FallbackReason
{
    /// <summary>No fallback: the model scored.</summary>
    None,

    /// <summary>The model file does not exist.</summary>
    Missing,

    /// <summary>The file exists but ONNX Runtime could not load it (truncated, corrupt, provider unavailable).</summary>
    LoadError,

    /// <summary>The model loads but its inputs, outputs or feature schema differ from what Lepton writes.</summary>
    SchemaMismatch,

    /// <summary>The model produced NaN or infinite scores.</summary>
    Nan,

    /// <summary>Running the model threw.</summary>
    InferenceError,
}
