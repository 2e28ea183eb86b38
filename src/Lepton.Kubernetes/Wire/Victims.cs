using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>Victims on one node as full pods (<c>Victims</c>).</summary>
public sealed class Victims
{
    /// <summary>The victim pods (core/v1 Pods as JSON).</summary>
    [JsonPropertyName("Pods")]
    public IList<JsonElement>? Pods { get; set; }

    /// <summary>How many of the victims' PodDisruptionBudgets the eviction would violate.</summary>
    [JsonPropertyName("NumPDBViolations")]
    public long NumPDBViolations { get; set; }
}
