using System.ComponentModel;
using System.Text.Json.Serialization;
using Lepton.Operator.Crds.Attributes;

namespace Lepton.Operator.Entities;

/// <summary>FPGAs of one device-plugin resource.</summary>
public sealed class V1Alpha1LeptonJobFpga
{
    /// <summary>
    /// The pattern of an FPGA extended-resource name: Intel's FPGA device plugin
    /// (<c>fpga.intel.com/...</c>), Xilinx (<c>xilinx.com/fpga-...</c>) or AMD (<c>amd.com/fpga-...</c>).
    /// </summary>
    public const string ResourcePattern = @"^(fpga\.intel\.com/|xilinx\.com/fpga-|amd\.com/fpga-)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    /// <summary>
    /// The extended resource that the FPGA device plugin advertises: fpga.intel.com/region-... or
    /// fpga.intel.com/af-... (Intel, region or AF mode), xilinx.com/fpga-... (Xilinx) or
    /// amd.com/fpga-... (AMD).
    /// </summary>
    [JsonPropertyName("resource")]
    [Required]
    [Length(MinLength = 1, MaxLength = 78)]
    [Pattern(ResourcePattern)]
    public string Resource { get; set; } = string.Empty;

    /// <summary>FPGA devices of that resource per replica, at least 1. Defaults to 1.</summary>
    [JsonPropertyName("count")]
    [DefaultValue(1)]
    [RangeMinimum(1)]
    public int Count { get; set; } = 1;
}
