using System.Collections.Immutable;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// What a pod needs, reduced to what scheduling decides on: effective CPU and memory requests,
/// GPUs as a count of cards times milli-GPU per card, allowed GPU models, and other extended
/// resources (FPGAs, MIG slices). Immutable.
/// </summary>
public sealed record PodDemand
{
    /// <summary>The pod UID (the key of the cluster state).</summary>
    public required string Uid { get; init; }

    /// <summary>The pod namespace.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The pod name.</summary>
    public required string Name { get; init; }

    /// <summary>Effective CPU request in milli-cores (Kubernetes' effective-request rule, plus overhead).</summary>
    public long CpuMilli { get; init; }

    /// <summary>Effective memory request in bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>GPU cards needed (0 for a pod without GPUs).</summary>
    public int GpuCount { get; init; }

    /// <summary>Milli-GPU needed on each card: 1000 for whole GPUs, 1..999 for a fractional share, 0 without GPUs.</summary>
    public int GpuMilli { get; init; }

    /// <summary>The GPU resource the pod requests (<c>nvidia.com/gpu</c>…), or null when it names none.</summary>
    public string? GpuResource { get; init => field = Resources.ResourceNames.Shared(value); }

    /// <summary>Allowed GPU models (normalised), or empty for any model.</summary>
    public ImmutableArray<string> GpuModels { get; init; } = [];

    /// <summary>Extended resources requested, the GPU device resource included.</summary>
    public ImmutableArray<ResourceAmount> Extended { get; init; } = [];

    /// <summary>The pod priority (from its PriorityClass), used to choose preemption victims.</summary>
    public int Priority { get; init; }

    /// <summary>The QoS class (<c>Guaranteed</c>, <c>Burstable</c>, <c>BestEffort</c>, or a trace's own class).</summary>
    public string QosClass { get; init; } = "BestEffort";

    /// <summary>The gang (LeptonJob) this pod belongs to, or null.</summary>
    public string? Gang { get; init; }

    /// <summary>The node this pod is reserved on by gang admission, or null.</summary>
    public string? ReservedNode { get; init; }

    /// <summary>Card indices recorded on the pod (<c>lepton.ai/gpu-cards</c>), or empty.</summary>
    public ImmutableArray<int> CardsHint { get; init; } = [];

    /// <summary>
    /// The pod's hard node constraints (<c>nodeName</c>, <c>nodeSelector</c>, required node affinity,
    /// tolerations), or null when it has none: such a pod costs the fit check nothing extra.
    /// </summary>
    public PodPlacement? Placement { get; init; }

    /// <summary>Creation time, when known (orders deterministic card reconstruction).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>GPU demand in milli-GPU over all cards.</summary>
    public long TotalGpuMilli => (long)GpuCount * GpuMilli;

    /// <summary>True for a fractional pod: one card, less than a whole one.</summary>
    public bool IsSharing => GpuCount == 1 && GpuMilli is > 0 and < 1000;

    /// <summary>True when the pod needs at least one GPU card.</summary>
    public bool NeedsGpu => GpuCount > 0 && GpuMilli > 0;

    /// <summary>
    /// The pod's GPU affinity tag as the FGD artifact's GpuClustering defines it: 0 for a sharing
    /// pod, N for a pod of N whole GPUs, -1 for a pod without GPUs (no tag).
    /// </summary>
    public int AffinityTag => !NeedsGpu ? -1 : IsSharing ? 0 : GpuMilli == 1000 ? GpuCount : -1;

    /// <summary>The namespaced name, <c>namespace/name</c>.</summary>
    public string Key => Namespace + "/" + Name;

    /// <summary>Whether the pod accepts a node of the given GPU model.</summary>
    /// <param name="nodeModel">The node's normalised GPU model, or null.</param>
    /// <returns>True when no model is required or the node's model is one of the allowed ones.</returns>
    public bool AcceptsModel(string? nodeModel)
    {
        if (GpuModels.IsDefaultOrEmpty)
        {
            return true;
        }

        if (nodeModel is null)
        {
            return false;
        }

        foreach (var m in GpuModels)
        {
            if (string.Equals(m, nodeModel, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
