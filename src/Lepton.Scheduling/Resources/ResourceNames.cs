namespace Lepton.Scheduling.Resources;

/// <summary>
/// Resource names and annotation keys Lepton understands, and the rules that classify them.
/// </summary>
/// <remarks>
/// Device-plugin resource names come from the plugins' own sources (NVIDIA k8s-device-plugin,
/// ROCm k8s-device-plugin, Intel device plugins, Xilinx FPGA-as-a-Service); see
/// <c>docs/DECISIONS.md</c> 11-12 and the extender protocol notes.
/// </remarks>
public static class ResourceNames
{
    /// <summary>CPU, in cores (quantity) or milli-cores.</summary>
    public const string Cpu = "cpu";

    /// <summary>Memory, in bytes.</summary>
    public const string Memory = "memory";

    /// <summary>The node's pod capacity.</summary>
    public const string Pods = "pods";

    /// <summary>Ephemeral storage (accounted by kube-scheduler, ignored by Lepton).</summary>
    public const string EphemeralStorage = "ephemeral-storage";

    /// <summary>NVIDIA whole devices (or time-slicing replicas) from the NVIDIA device plugin.</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";

    /// <summary>NVIDIA shared devices when the device plugin renames shared resources.</summary>
    public const string NvidiaGpuShared = "nvidia.com/gpu.shared";

    /// <summary>AMD GPUs from the ROCm device plugin.</summary>
    public const string AmdGpu = "amd.com/gpu";

    /// <summary>Intel GPUs (i915 driver).</summary>
    public const string IntelGpuI915 = "gpu.intel.com/i915";

    /// <summary>Intel GPUs (xe driver).</summary>
    public const string IntelGpuXe = "gpu.intel.com/xe";

    /// <summary>Annotation: the share of one card a fractional pod needs, 1..999 milli-GPU.</summary>
    public const string GpuMilliAnnotation = "lepton.ai/gpu-milli";

    /// <summary>Annotation: allowed GPU models, <c>|</c>-separated.</summary>
    public const string GpuModelsAnnotation = "lepton.ai/gpu-models";

    /// <summary>Annotation: the card indices Lepton assigned, comma-separated.</summary>
    public const string GpuCardsAnnotation = "lepton.ai/gpu-cards";

    /// <summary>Annotation: the node a gang member is reserved on by the elected leader.</summary>
    public const string ReservedNodeAnnotation = "lepton.ai/reserved-node";

    /// <summary>Label (GPU Feature Discovery): how many replicas each GPU is advertised as (above 1: time-slicing or MPS).</summary>
    public const string NvidiaGpuReplicasLabel = "nvidia.com/gpu.replicas";

    /// <summary>Label (GPU Feature Discovery): the GPU sharing strategy, <c>none</c>, <c>time-slicing</c> or <c>mps</c>.</summary>
    public const string NvidiaGpuSharingStrategyLabel = "nvidia.com/gpu.sharing-strategy";

    /// <summary>Label (GPU Feature Discovery): whether MPS sharing is configured (<c>true</c>/<c>false</c>).</summary>
    public const string NvidiaMpsCapableLabel = "nvidia.com/mps.capable";

    /// <summary>The suffix GPU Feature Discovery appends to <c>nvidia.com/gpu.product</c> on a node whose GPUs are shared.</summary>
    public const string SharedProductSuffix = "-SHARED";

    /// <summary>Label: the gang (LeptonJob) a pod belongs to.</summary>
    public const string GangLabel = "lepton.ai/gang";

    /// <summary>GPU Feature Discovery label: physical GPUs on the node.</summary>
    public const string NvidiaGpuCountLabel = "nvidia.com/gpu.count";

    /// <summary>GPU Feature Discovery label: the GPU product name.</summary>
    public const string NvidiaGpuProductLabel = "nvidia.com/gpu.product";

    /// <summary>GPU Feature Discovery label: memory of one GPU in MiB.</summary>
    public const string NvidiaGpuMemoryLabel = "nvidia.com/gpu.memory";

    /// <summary>AMD node labeller: the GPU product name.</summary>
    public const string AmdGpuProductLabel = "amd.com/gpu.product-name";

    /// <summary>AMD node labeller: VRAM per GPU (for example <c>64G</c>).</summary>
    public const string AmdGpuVramLabel = "amd.com/gpu.vram";

    /// <summary>One whole GPU in milli-GPU.</summary>
    public const int WholeGpuMilli = 1000;

    /// <summary>
    /// The constant instance of a well-known GPU resource name, else <paramref name="name"/>
    /// itself: pods and nodes then share one string per GPU resource, and the fit check's name
    /// comparisons succeed on reference equality without reading the characters.
    /// </summary>
    /// <param name="name">A resource name, or null.</param>
    /// <returns>The same name, as the shared instance when it is a known GPU resource.</returns>
    public static string? Shared(string? name) => name switch
    {
        NvidiaGpu => NvidiaGpu,
        NvidiaGpuShared => NvidiaGpuShared,
        AmdGpu => AmdGpu,
        IntelGpuI915 => IntelGpuI915,
        IntelGpuXe => IntelGpuXe,
        _ => name,
    };

    /// <summary>
    /// True for resources that are GPUs counted card by card: NVIDIA (including the
    /// <c>.shared</c> rename), AMD and Intel GPUs. MIG slices (<c>nvidia.com/mig-*</c>) are not:
    /// they are opaque extended resources.
    /// </summary>
    /// <param name="name">A resource name.</param>
    /// <returns>Whether Lepton accounts the resource per card.</returns>
    public static bool IsGpu(string name) =>
        name is NvidiaGpu or NvidiaGpuShared or AmdGpu or IntelGpuI915 or IntelGpuXe;

    /// <summary>True for FPGA resources: Intel (<c>fpga.intel.com/*</c>) and Xilinx (<c>xilinx.com/fpga-*</c>).</summary>
    /// <param name="name">A resource name.</param>
    /// <returns>Whether the resource is an FPGA.</returns>
    public static bool IsFpga(string name) =>
        name.StartsWith("fpga.intel.com/", StringComparison.Ordinal)
        || name.StartsWith("xilinx.com/fpga-", StringComparison.Ordinal)
        || name.StartsWith("amd.com/fpga-", StringComparison.Ordinal);

    /// <summary>
    /// True for names Lepton treats as extended resources (anything that is not CPU, memory, pods,
    /// ephemeral storage or hugepages).
    /// </summary>
    /// <param name="name">A resource name.</param>
    /// <returns>Whether the resource is an extended (device or opaque) resource.</returns>
    public static bool IsExtended(string name) =>
        name is not (Cpu or Memory or Pods or EphemeralStorage)
        && !name.StartsWith("hugepages-", StringComparison.Ordinal)
        && !name.StartsWith("requests.", StringComparison.Ordinal);
}
