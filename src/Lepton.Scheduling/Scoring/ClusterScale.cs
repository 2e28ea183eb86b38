namespace Lepton.Scheduling.Scoring;

/// <summary>
/// The normalisers some scorers divide by: the largest node's CPU and GPU capacity in the
/// cluster (the FGD artifact's "max" normalisation; 128 cores and 8 GPUs on openb).
/// </summary>
/// <param name="MaxNodeCpuMilli">The largest allocatable CPU of any node, milli-cores.</param>
/// <param name="MaxNodeGpuMilli">The largest GPU capacity of any node, milli-GPU.</param>
public sealed record ClusterScale(long MaxNodeCpuMilli, int MaxNodeGpuMilli)
{
    /// <summary>The openb cluster's scale: 128,000 milli-cores and 8 GPUs.</summary>
    public static ClusterScale OpenB { get; } = new(128_000, 8_000);

    /// <summary>CPU normaliser, never zero.</summary>
    public double CpuNorm => Math.Max(1, MaxNodeCpuMilli);

    /// <summary>GPU normaliser, never zero.</summary>
    public int GpuNorm => Math.Max(1, MaxNodeGpuMilli);
}
