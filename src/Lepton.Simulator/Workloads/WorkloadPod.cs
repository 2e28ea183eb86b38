using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Workloads;

/// <summary>A pod of a workload, with its trace times when the workload has them.</summary>
/// <param name="Pod">What the pod needs.</param>
/// <param name="CreatedAtSeconds">Creation time in seconds from the trace start, or null.</param>
/// <param name="DeletedAtSeconds">Deletion time in seconds from the trace start, or null (never deleted, or no times).</param>
public sealed record WorkloadPod(PodDemand Pod, long? CreatedAtSeconds = null, long? DeletedAtSeconds = null)
{
    /// <summary>How long the pod runs once placed, in seconds, or null when the trace does not say.</summary>
    public long? RunSeconds => CreatedAtSeconds is { } c && DeletedAtSeconds is { } d ? Math.Max(0, d - c) : null;
}
