using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// The answer to a preempt call (<c>ExtenderPreemptionResult</c>): the candidate nodes that stay,
/// each with the victims to evict. It may drop nodes or victims, never add any.
/// </summary>
public sealed class ExtenderPreemptionResult
{
    /// <summary>Victim UIDs per node.</summary>
    [JsonPropertyName("NodeNameToMetaVictims")]
    public IDictionary<string, MetaVictims>? NodeNameToMetaVictims { get; set; }
}
