using System.ComponentModel.DataAnnotations;
using Lepton.Models.Inference;

namespace Lepton.Models;

/// <summary>Options of the model layer, bound from <c>Lepton:Models</c>.</summary>
public sealed class LeptonModelOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Models";

    /// <summary>The policy model file (the default models are in <c>models/</c>).</summary>
    [Required]
    public string PolicyPath { get; set; } = "models/policy.onnx";

    /// <summary>The execution provider: auto (CUDA, else CPU), cuda, or cpu.</summary>
    public ExecutionProviderOption ExecutionProvider { get; set; } = ExecutionProviderOption.Auto;

    /// <summary>How often the model file is checked for changes (hot reload).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>ONNX Runtime intra-op threads per inference (1 keeps requests from competing for cores).</summary>
    [Range(0, 64)]
    public int IntraOpThreads { get; set; } = 1;
}
