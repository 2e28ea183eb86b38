namespace Lepton.Models.Inference;

/// <summary>Which ONNX Runtime execution provider runs a model.</summary>
public enum ExecutionProviderOption
{
    /// <summary>Try CUDA; when it cannot load, use the CPU (one log line, and the provider gauge says which runs).</summary>
    Auto,

    /// <summary>CUDA only: when it cannot load the model is not loaded and scoring falls back to the heuristic.</summary>
    Cuda,

    /// <summary>The CPU provider.</summary>
    Cpu,
}
