using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>A pod named by its UID (<c>MetaPod</c>).</summary>
public sealed class MetaPod
{
    /// <summary>The pod UID.</summary>
    [JsonPropertyName("UID")]
    public string? UID { get; set; }
}
