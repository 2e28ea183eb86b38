using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using Lepton.Operator.Crds.Attributes;

namespace Lepton.Operator.Entities;

/// <summary>
/// The desired state of a LeptonJob: what kind of job it is, how many identical replicas it runs,
/// the pod template of one replica, and what accelerators each replica needs.
/// </summary>
[ValidationRule(MinAvailableRule, Message = "minAvailable must not exceed replicas", FieldPath = ".minAvailable")]
public sealed class V1Alpha1LeptonJobSpec
{
    /// <summary>The CEL rule that keeps <see cref="MinAvailable"/> within <see cref="Replicas"/>.</summary>
    public const string MinAvailableRule = "!has(self.minAvailable) || self.minAvailable <= self.replicas";

    /// <summary>The CEL transition rule that makes <see cref="Type"/> immutable.</summary>
    public const string TypeImmutableRule = "self == oldSelf";

    /// <summary>The CEL rule that requires a positive duration.</summary>
    public const string PositiveDurationRule = "duration(self) > duration('0s')";

    /// <summary>
    /// The pattern of a Go duration string (<c>90s</c>, <c>45m</c>, <c>1h30m</c>, <c>1.5h</c>): what
    /// both CEL's <c>duration()</c> and the operator parse.
    /// </summary>
    public const string DurationPattern = @"^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$";

    /// <summary>The pattern of a DNS subdomain name (RFC 1123), used for PriorityClass names.</summary>
    public const string DnsSubdomainPattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>
    /// The kind of job: Training (runs to completion; its replicas form a gang that is placed all
    /// at once or not at all) or Inference (long-running; replicas are placed independently and
    /// may share a GPU through gpuMilli). Immutable.
    /// </summary>
    [JsonPropertyName("type")]
    [Required]
    [EnumValues(LeptonJobTypes.Training, LeptonJobTypes.Inference)]
    [ValidationRule(TypeImmutableRule, Message = "type is immutable")]
    public string Type { get; set; } = string.Empty;

    /// <summary>The number of identical replicas (pods), 1 to 10000. Defaults to 1.</summary>
    [JsonPropertyName("replicas")]
    [DefaultValue(1)]
    [RangeMinimum(1)]
    [RangeMaximum(10000)]
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// The pod template of one replica (a core/v1 PodTemplateSpec). The operator creates one pod
    /// per replica from it, adds the accelerator requests, Lepton's annotations and the
    /// lepton-scheduler scheduler name. Its schema is not expanded here: the full PodSpec schema
    /// would make up most of this CRD, and the API server validates the pods themselves when the
    /// operator creates them.
    /// </summary>
    [JsonPropertyName("template")]
    [Required]
    [PreserveUnknownFields]
    public V1PodTemplateSpec Template { get; set; } = new();

    /// <summary>The accelerators each replica needs (GPUs, a fractional GPU share, or FPGAs). Omit for a CPU-only job.</summary>
    [JsonPropertyName("accelerators")]
    public V1Alpha1LeptonJobAccelerators? Accelerators { get; set; }

    /// <summary>
    /// The PriorityClass of the replicas' pods. Higher-priority jobs are placed first and may
    /// preempt lower-priority ones. Empty uses the cluster's default priority.
    /// </summary>
    [JsonPropertyName("priorityClassName")]
    [Length(MaxLength = 253)]
    [Pattern(DnsSubdomainPattern)]
    public string? PriorityClassName { get; set; }

    /// <summary>
    /// The fewest replicas that must be placed together for the job to start (gang size), 1 to
    /// replicas. Defaults to replicas: a Training job starts only when all its replicas fit.
    /// </summary>
    [JsonPropertyName("minAvailable")]
    [RangeMinimum(1)]
    public int? MinAvailable { get; set; }

    /// <summary>
    /// How long the job is expected to run, as a Go duration (e.g. 2h30m). A hint for placement
    /// and for the run-time prediction shown in status.predictedDuration; never enforced.
    /// </summary>
    [JsonPropertyName("expectedDuration")]
    [Format(FormatAttribute.Duration)]
    [Length(MaxLength = 32)]
    [Pattern(DurationPattern)]
    [ValidationRule(PositiveDurationRule, Message = "expectedDuration must be positive")]
    public string? ExpectedDuration { get; set; }

    /// <summary>
    /// The longest the job may run once started, as a Go duration (e.g. 24h). When it runs out the
    /// operator stops the replicas and the job fails with reason MaxRuntimeExceeded. Unlimited when
    /// omitted.
    /// </summary>
    [JsonPropertyName("maxRuntime")]
    [Format(FormatAttribute.Duration)]
    [Length(MaxLength = 32)]
    [Pattern(DurationPattern)]
    [ValidationRule(PositiveDurationRule, Message = "maxRuntime must be positive")]
    public string? MaxRuntime { get; set; }

    /// <summary>
    /// What happens when a replica fails: Never fails the job (the default), OnFailure recreates
    /// the replica.
    /// </summary>
    [JsonPropertyName("restartPolicy")]
    [DefaultValue(LeptonJobRestartPolicies.Never)]
    [EnumValues(LeptonJobRestartPolicies.Never, LeptonJobRestartPolicies.OnFailure)]
    public string RestartPolicy { get; set; } = LeptonJobRestartPolicies.Never;

    /// <summary>The gang size in effect: <see cref="MinAvailable"/>, or <see cref="Replicas"/> when it is not set.</summary>
    /// <returns>The number of replicas that must be placed together.</returns>
    public int EffectiveMinAvailable() => MinAvailable ?? Replicas;
}
