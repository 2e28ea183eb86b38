using Lepton.Extender;
using Lepton.Models.Inference;

namespace Lepton.Cli.Serve;

/// <summary>The flags of <c>lepton serve</c>; null means "not given" (configuration or defaults apply).</summary>
internal sealed record ServeSettings
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://0.0.0.0:8888";

    /// <summary>Addresses to listen on.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The cluster-state file.</summary>
    public string? ClusterStateFile { get; init; }

    /// <summary>The placement policy.</summary>
    public string? Policy { get; init; }

    /// <summary>How prioritize maps scores to 0..10 (DECISIONS.md 3), or null for the configured default (StableRank).</summary>
    public ScoreMapping? ScoreMapping { get; init; }

    /// <summary>The request body limit.</summary>
    public long? MaxRequestBytes { get; init; }

    /// <summary>The verbs' path prefix.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The policy network file, or null for the default location.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The ONNX Runtime execution provider.</summary>
    public ExecutionProviderOption ExecutionProvider { get; init; } = ExecutionProviderOption.Auto;

    /// <summary>The policy network path: the flag, else models/policy.onnx beside the executable, else in the working directory.</summary>
    /// <returns>The path.</returns>
    public string ResolveModelPath()
    {
        if (ModelPath is not null)
        {
            return ModelPath;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, "models", "policy.onnx");
        return File.Exists(shipped) ? shipped : Path.Combine("models", "policy.onnx");
    }
}
