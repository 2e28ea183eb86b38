using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Lepton.Operator.Entities;

/// <summary>A list of <see cref="V1Alpha1LeptonJob"/>, as returned by a List call.</summary>
[KubernetesEntity(Group = V1Alpha1LeptonJob.KubeGroup, ApiVersion = V1Alpha1LeptonJob.KubeApiVersion, Kind = KubeKind, PluralName = V1Alpha1LeptonJob.KubePluralName)]
public sealed class V1Alpha1LeptonJobList : IKubernetesObject<V1ListMeta>, IItems<V1Alpha1LeptonJob>
{
    /// <summary>The list kind.</summary>
    public const string KubeKind = "LeptonJobList";

    /// <summary>The API version, <c>lepton.ai/v1alpha1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = V1Alpha1LeptonJob.KubeGroupVersion;

    /// <summary>The kind, <c>LeptonJobList</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>List metadata: resourceVersion and continue token.</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The jobs.</summary>
    [JsonPropertyName("items")]
    public IList<V1Alpha1LeptonJob> Items { get; set; } = [];
}
