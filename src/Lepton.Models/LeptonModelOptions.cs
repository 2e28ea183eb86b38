using System.ComponentModel.DataAnnotations;
using Lepton.Models.Inference;

namespace Lepton.Models;

/// <summary>Options of the model layer, bound from <c>Lepton:Models</c>.</summary>
public sealed class LeptonModelOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Models";

    /// <summary>Where the policy model lives relative to the executable or the working directory (and where <c>lepton train policy</c> writes it).</summary>
    public const string PolicyFile = "models/policy.onnx";

    /// <summary>
    /// The one default policy model path of every command: <see cref="PolicyFile"/> beside the
    /// executable when it is there (the image and the CLI ship it there), else in the working directory.
    /// </summary>
    public static string DefaultPolicyPath
    {
        get
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, PolicyFile);
            return File.Exists(shipped) ? shipped : PolicyFile;
        }
    }

    /// <summary>Where the duration predictor lives relative to the executable or the working directory (and where <c>lepton train predictor</c> writes it).</summary>
    public const string PredictorFile = "models/predictor.onnx";

    /// <summary>
    /// The default duration predictor path (<see cref="Prediction.OnnxDurationPredictor.Load"/>): <see cref="PredictorFile"/>
    /// beside the executable when it is there, else in the working directory.
    /// </summary>
    public static string DefaultPredictorPath
    {
        get
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, PredictorFile);
            return File.Exists(shipped) ? shipped : PredictorFile;
        }
    }

    /// <summary>The policy model file: configuration (<c>Lepton__Models__PolicyPath</c>), the <c>--model</c> flag when given, else <see cref="DefaultPolicyPath"/>.</summary>
    [Required]
    public string PolicyPath { get; set; } = DefaultPolicyPath;

    /// <summary>The execution provider: auto (CUDA, else CPU), cuda, or cpu.</summary>
    public ExecutionProviderOption ExecutionProvider { get; set; } = ExecutionProviderOption.Auto;

    /// <summary>How often the model file is checked for changes (hot reload).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this many consecutive inferences with NaN or infinite scores the model counts as unusable (<c>lepton_model_loaded</c> 0) until it scores finitely again.</summary>
    [Range(1, 1000)]
    public int NanRunsUntilUnusable { get; set; } = 3;

    /// <summary>ONNX Runtime intra-op threads per inference (1 keeps requests from competing for cores).</summary>
    [Range(0, 64)]
    public int IntraOpThreads { get; set; } = 1;
}
