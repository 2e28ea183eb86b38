using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>The answer to a bind call (<c>ExtenderBindingResult</c>).</summary>
public sealed class ExtenderBindingResult
{
    /// <summary>Empty on success; otherwise why the pod was not bound.</summary>
    [JsonPropertyName("Error")]
    public string Error { get; set; } = string.Empty;
}
