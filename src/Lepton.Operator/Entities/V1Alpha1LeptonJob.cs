using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Lepton.Operator.Crds.Attributes;

namespace Lepton.Operator.Entities;

/// <summary>
/// LeptonJob runs a GPU or FPGA workload of one or more identical replicas, placed by Lepton's
/// scheduler. A Training job is a gang: its replicas are admitted all together or not at all. An
/// Inference job places its replicas independently and may use a fractional share of one GPU.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[CustomResource(Singular = "leptonjob", ShortNames = ["lj"], Categories = ["lepton"], Scope = ResourceScope.Namespaced)]
[AdditionalPrinterColumn("Type", ".spec.type", "string", Order = 0, Description = "Training or Inference.")]
[AdditionalPrinterColumn("Replicas", ".spec.replicas", "integer", Order = 1, Priority = 1, Description = "Number of replicas.")]
[AdditionalPrinterColumn("Phase", ".status.phase", "string", Order = 2, Description = "Lifecycle phase.")]
[AdditionalPrinterColumn("GPUs", ".status.gpus", "string", Order = 3, Description = "GPUs held: a count, or replicas x milli-GPU share.")]
[AdditionalPrinterColumn("Nodes", ".status.nodes", "string", Order = 4, Description = "Nodes the replicas run on.")]
[AdditionalPrinterColumn("Predicted", ".status.predictedDuration", "string", Order = 5, Priority = 1, Description = "Predicted run time.")]
[AdditionalPrinterColumn("Age", ".metadata.creationTimestamp", "date", Order = 6)]
public sealed class V1Alpha1LeptonJob : IKubernetesObject<V1ObjectMeta>, ISpec<V1Alpha1LeptonJobSpec>, IStatus<V1Alpha1LeptonJobStatus?>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = "lepton.ai";

    /// <summary>The API version within <see cref="KubeGroup"/>.</summary>
    public const string KubeApiVersion = "v1alpha1";

    /// <summary>The kind.</summary>
    public const string KubeKind = "LeptonJob";

    /// <summary>The plural resource name used in URLs.</summary>
    public const string KubePluralName = "leptonjobs";

    /// <summary>The full <c>apiVersion</c> value, <c>lepton.ai/v1alpha1</c>.</summary>
    public const string KubeGroupVersion = KubeGroup + "/" + KubeApiVersion;

    /// <summary>
    /// APIVersion defines the versioned schema of this representation of an object. Servers should
    /// convert recognized schemas to the latest internal value, and may reject unrecognized values.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroupVersion;

    /// <summary>
    /// Kind is a string value representing the REST resource this object represents. Servers may
    /// infer this from the endpoint the client submits requests to. In CamelCase.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired job: its type, replicas, pod template and per-replica accelerator demand.</summary>
    [JsonPropertyName("spec")]
    [Required]
    public V1Alpha1LeptonJobSpec Spec { get; set; } = new();

    /// <summary>The observed state, written by the Lepton operator through the status subresource.</summary>
    [JsonPropertyName("status")]
    public V1Alpha1LeptonJobStatus? Status { get; set; }
}
