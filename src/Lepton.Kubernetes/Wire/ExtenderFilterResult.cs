using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// The answer to a filter call (<c>ExtenderFilterResult</c>). Every key is always written;
/// a null <see cref="NodeNames"/> (and, in Nodes mode, a null <see cref="Nodes"/>) means that
/// no node passes.
/// </summary>
public sealed class ExtenderFilterResult
{
    /// <summary>The passing nodes echoed verbatim from the request (Nodes mode), else null.</summary>
    [JsonPropertyName("Nodes")]
    public RawNodeList? Nodes { get; set; }

    /// <summary>The passing node names (NodeNames mode), else null.</summary>
    [JsonPropertyName("NodeNames")]
    public IList<string>? NodeNames { get; set; }

    /// <summary>Nodes that failed and that preemption might make fit: node name → reason.</summary>
    [JsonPropertyName("FailedNodes")]
    [JsonConverter(typeof(FailedNodesJsonConverter))]
    public IDictionary<string, string>? FailedNodes { get; set; }

    /// <summary>Nodes that failed and that preemption cannot help: node name → reason.</summary>
    [JsonPropertyName("FailedAndUnresolvableNodes")]
    [JsonConverter(typeof(FailedNodesJsonConverter))]
    public IDictionary<string, string>? FailedAndUnresolvableNodes { get; set; }

    /// <summary>A non-empty error fails the scheduling cycle; empty on success.</summary>
    [JsonPropertyName("Error")]
    public string Error { get; set; } = string.Empty;
}
