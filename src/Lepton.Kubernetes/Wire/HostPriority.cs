using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>One node's score in a prioritize answer; the answer is a bare JSON array of these.</summary>
public sealed class HostPriority
{
    /// <summary>The node name.</summary>
    [JsonPropertyName("Host")]
    public string Host { get; set; } = string.Empty;

    /// <summary>The score, 0..10 (<c>MaxExtenderPriority</c>).</summary>
    [JsonPropertyName("Score")]
    public long Score { get; set; }
}
