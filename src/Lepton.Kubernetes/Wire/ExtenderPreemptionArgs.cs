using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// The body of a preempt call (<c>ExtenderPreemptionArgs</c>): the preemptor and, per candidate
/// node, the victims kube-scheduler's dry run chose (as UIDs when nodeCacheCapable, else full pods).
/// </summary>
public sealed class ExtenderPreemptionArgs
{
    /// <summary>The preemptor pod (a core/v1 Pod as JSON).</summary>
    [JsonPropertyName("Pod")]
    public JsonElement? Pod { get; set; }

    /// <summary>Victims as full pods per node (extenders that are not nodeCacheCapable).</summary>
    [JsonPropertyName("NodeNameToVictims")]
    public IDictionary<string, Victims?>? NodeNameToVictims { get; set; }

    /// <summary>Victims as UIDs per node (nodeCacheCapable extenders).</summary>
    [JsonPropertyName("NodeNameToMetaVictims")]
    public IDictionary<string, MetaVictims?>? NodeNameToMetaVictims { get; set; }
}
