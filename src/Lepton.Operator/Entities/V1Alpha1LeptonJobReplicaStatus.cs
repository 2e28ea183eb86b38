using System.Text.Json.Serialization;
using Lepton.Operator.Crds.Attributes;

namespace Lepton.Operator.Entities;

/// <summary>The state of one replica of a LeptonJob.</summary>
public sealed class V1Alpha1LeptonJobReplicaStatus
{
    /// <summary>The replica's index, 0 to replicas - 1.</summary>
    [JsonPropertyName("index")]
    [Required]
    [RangeMinimum(0)]
    public int Index { get; set; }

    /// <summary>The name of the replica's pod.</summary>
    [JsonPropertyName("podName")]
    public string? PodName { get; set; }

    /// <summary>The node the pod is bound to; empty while it waits for placement.</summary>
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    /// <summary>The pod's phase: Pending, Running, Succeeded, Failed or Unknown.</summary>
    [JsonPropertyName("phase")]
    [EnumValues(LeptonJobReplicaPhases.Pending, LeptonJobReplicaPhases.Running, LeptonJobReplicaPhases.Succeeded, LeptonJobReplicaPhases.Failed, LeptonJobReplicaPhases.Unknown)]
    public string? Phase { get; set; }
}
