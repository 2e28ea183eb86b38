namespace Lepton.Scheduling.Inventory;

/// <summary>
/// Whether a node's GPUs are shared between pods by the device plugin (NVIDIA time-slicing or
/// MPS replicas), which decides which kind of GPU pod the node can honour until a node agent
/// exists (docs/EXTENDER.md, "Whole GPUs and shares").
/// </summary>
public enum GpuSharing
{
    /// <summary>
    /// Nothing says (a trace node, a state file without GPU Feature Discovery labels): whole-GPU
    /// and fractional pods are both allowed, as the FGD artifact assumes.
    /// </summary>
    Unknown = 0,

    /// <summary>
    /// The GPUs are not shared (<c>nvidia.com/gpu.replicas=1</c>,
    /// <c>nvidia.com/gpu.sharing-strategy=none</c>): whole-GPU pods only.
    /// </summary>
    Exclusive,

    /// <summary>
    /// The GPUs are time-sliced or under MPS (<c>nvidia.com/gpu.replicas</c> &gt; 1,
    /// <c>nvidia.com/gpu.sharing-strategy</c> <c>time-slicing</c>/<c>mps</c>,
    /// <c>nvidia.com/mps.capable=true</c>, or the renamed <c>nvidia.com/gpu.shared</c> resource):
    /// fractional pods only.
    /// </summary>
    Shared,
}
