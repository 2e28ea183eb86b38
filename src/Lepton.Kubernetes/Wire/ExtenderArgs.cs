using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// The body of a filter or prioritize call (<c>k8s.io/kube-scheduler/extender/v1.ExtenderArgs</c>).
/// Keys are the Go field names; the embedded Pod and Nodes keep their camelCase API keys and are
/// kept as raw JSON, so that Nodes items can be echoed verbatim.
/// </summary>
public sealed class ExtenderArgs
{
    /// <summary>The pod being scheduled (a core/v1 Pod as JSON).</summary>
    [JsonPropertyName("Pod")]
    public JsonElement? Pod { get; set; }

    /// <summary>The candidate nodes as a core/v1 NodeList (only when the extender is not nodeCacheCapable).</summary>
    [JsonPropertyName("Nodes")]
    public RawNodeList? Nodes { get; set; }

    /// <summary>The candidate node names (only when the extender is nodeCacheCapable).</summary>
    [JsonPropertyName("NodeNames")]
    public IList<string>? NodeNames { get; set; }
}
