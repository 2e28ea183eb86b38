using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>The body of a bind call (<c>ExtenderBindingArgs</c>).</summary>
public sealed class ExtenderBindingArgs
{
    /// <summary>The pod name.</summary>
    [JsonPropertyName("PodName")]
    public string? PodName { get; set; }

    /// <summary>The pod namespace.</summary>
    [JsonPropertyName("PodNamespace")]
    public string? PodNamespace { get; set; }

    /// <summary>The pod UID.</summary>
    [JsonPropertyName("PodUID")]
    public string? PodUID { get; set; }

    /// <summary>The node to bind to.</summary>
    [JsonPropertyName("Node")]
    public string? Node { get; set; }
}
