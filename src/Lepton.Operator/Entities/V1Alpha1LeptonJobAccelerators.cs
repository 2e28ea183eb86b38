using System.ComponentModel;
using System.Text.Json.Serialization;
using Lepton.Operator.Crds.Attributes;

namespace Lepton.Operator.Entities;

/// <summary>
/// The accelerators one replica needs. Whole GPUs (gpus), a fractional share of one GPU (gpus: 1
/// with gpuMilli), optionally restricted to GPU models, and/or FPGAs of one device-plugin resource.
/// </summary>
[ValidationRule(GpuMilliRule, Message = "gpuMilli is a share of one GPU: it requires gpus: 1", FieldPath = ".gpuMilli")]
[ValidationRule(GpuModelsRule, Message = "gpuModels requires gpus >= 1", FieldPath = ".gpuModels")]
public sealed class V1Alpha1LeptonJobAccelerators
{
    /// <summary>The CEL rule that allows <see cref="GpuMilli"/> only with one GPU.</summary>
    public const string GpuMilliRule = "!has(self.gpuMilli) || self.gpus == 1";

    /// <summary>The CEL rule that allows <see cref="GpuModels"/> only when GPUs are requested.</summary>
    public const string GpuModelsRule = "!has(self.gpuModels) || self.gpus >= 1";

    /// <summary>The pattern of one GPU model name: a Kubernetes label value (no '|', which separates models in annotations).</summary>
    public const string GpuModelPattern = @"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    /// <summary>Whole GPUs per replica, 0 to 64. Defaults to 0. Set 1 together with gpuMilli for a fractional share.</summary>
    [JsonPropertyName("gpus")]
    [DefaultValue(0)]
    [RangeMinimum(0)]
    [RangeMaximum(64)]
    public int Gpus { get; set; }

    /// <summary>
    /// A fractional share of one GPU, in thousandths of a card (1 to 1000; 500 is half a card,
    /// 1000 a whole card). Only with gpus: 1. Lepton packs shares onto cards of GPUs exposed
    /// through time-slicing or MPS and records the card it chose; it does not isolate shares.
    /// </summary>
    [JsonPropertyName("gpuMilli")]
    [RangeMinimum(1)]
    [RangeMaximum(1000)]
    public int? GpuMilli { get; set; }

    /// <summary>
    /// Acceptable GPU models, any of which will do, matched against the node's GPU product label
    /// (nvidia.com/gpu.product, amd.com/gpu.product-name) or a configured alias such as V100M32.
    /// Any model when omitted.
    /// </summary>
    [JsonPropertyName("gpuModels")]
    [Items(MinItems = 1, MaxItems = 32, ItemMinLength = 1, ItemMaxLength = 63, ItemPattern = GpuModelPattern)]
    [ListType(ListTypeAttribute.Set)]
    public IList<string>? GpuModels { get; set; }

    /// <summary>FPGAs per replica, from one device-plugin resource. None when omitted.</summary>
    [JsonPropertyName("fpga")]
    public V1Alpha1LeptonJobFpga? Fpga { get; set; }

    /// <summary>Whether the replica asks for a fractional share of one GPU (gpus 1 with gpuMilli below 1000).</summary>
    /// <returns>True for a fractional GPU request.</returns>
    public bool IsFractional() => Gpus == 1 && GpuMilli is > 0 and < 1000;

    /// <summary>The GPU demand of one replica in milli-GPU (1000 per card): <c>gpus * 1000</c>, or gpuMilli for a share.</summary>
    /// <returns>The milli-GPU demand, 0 without GPUs.</returns>
    public long GpuMilliPerReplica() => GpuMilli is { } milli && Gpus == 1 ? milli : Gpus * 1000L;
}
