using Lepton.Simulator.Artifact;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Timeline;

namespace Lepton.Simulator.Running;

/// <summary>The outcome of one policy on one seed.</summary>
public sealed class RunResult
{
    /// <summary>The policy.</summary>
    public required string Policy { get; init; }

    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>The timeline queue order's name (<c>fifo</c>, <c>sjf-predicted</c>, ...), or null outside timeline mode.</summary>
    public string? Queue { get; init; }

    /// <summary>The mode.</summary>
    public required SimulationMode Mode { get; init; }

    /// <summary>Allocated GPU % against arrived workload %, bucketed as the artifact does (null in timeline mode).</summary>
    public AllocationCurve? Curve { get; init; }

    /// <summary>Pods that arrived (scheduling attempts in artifact and kube mode).</summary>
    public required int ArrivedPods { get; init; }

    /// <summary>Pods placed.</summary>
    public required int PlacedPods { get; init; }

    /// <summary>Tune-up clones among the arrivals.</summary>
    public int CloneCount { get; init; }

    /// <summary>Pods that found no node (artifact and kube: at their one attempt; timeline: never placed).</summary>
    public int FailedPods => ArrivedPods - PlacedPods;

    /// <summary>Allocated GPU % when the run ended.</summary>
    public required double FinalAllocatedPercent { get; init; }

    /// <summary>Wall time of the run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Kube-mode measurements, or null.</summary>
    public KubeRunStats? Kube { get; init; }

    /// <summary>Timeline-mode measurements, or null.</summary>
    public TimelineRunStats? Timeline { get; init; }

    /// <summary>Unallocated GPU % (100 − allocated %) when the arrived workload is <paramref name="level"/>% of the GPUs.</summary>
    /// <param name="level">The arrived level in percent.</param>
    /// <returns>The value, or null when the run never got there.</returns>
    public double? UnallocatedAt(int level) => Curve?.At(level) is { } a ? Math.Round(100 - a, 2) : null;
}
