using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>Victims on one node as UIDs (<c>MetaVictims</c>).</summary>
public sealed class MetaVictims
{
    /// <summary>The victim pods.</summary>
    [JsonPropertyName("Pods")]
    public IList<MetaPod>? Pods { get; set; }

    /// <summary>How many of the victims' PodDisruptionBudgets the eviction would violate.</summary>
    [JsonPropertyName("NumPDBViolations")]
    public long NumPDBViolations { get; set; }
}
