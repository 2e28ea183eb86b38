namespace Lepton.Simulator.Timeline;

/// <summary>Timeline-mode measurements of one run.</summary>
/// <param name="MeanWaitSeconds">Mean queueing delay of the completed (or, without lifetimes, placed) pods: JCT − lifetime, which is creation to placement for a pod never preempted, seconds.</param>
/// <param name="P95WaitSeconds">95th percentile of that delay, seconds.</param>
/// <param name="MaxWaitSeconds">The longest delay, seconds.</param>
/// <param name="WaitedPods">Placed pods that waited at all.</param>
/// <param name="NeverPlaced">Pods still waiting when no departure was left to free capacity.</param>
/// <param name="MeanAllocatedPercent">Time-weighted mean allocated GPU % from the first arrival to the last arrival (the ramp-down after the last arrival is left out).</param>
/// <param name="PeakAllocatedPercent">The highest allocated GPU %.</param>
/// <param name="Series">Allocated GPU % over time, (seconds from the first arrival, percent), at most a few hundred points.</param>
public sealed record TimelineRunStats(
    double MeanWaitSeconds,
    double P95WaitSeconds,
    double MaxWaitSeconds,
    int WaitedPods,
    int NeverPlaced,
    double MeanAllocatedPercent,
    double PeakAllocatedPercent,
    IReadOnlyList<(double Seconds, double AllocatedPercent)> Series)
{
    /// <summary>Pods the metrics count (completed, submitted after the report cut).</summary>
    public int CountedPods { get; init; }

    /// <summary>Mean job completion time (completion − submission), seconds.</summary>
    public double MeanJctSeconds { get; init; }

    /// <summary>Median JCT, seconds.</summary>
    public double P50JctSeconds { get; init; }

    /// <summary>95th percentile JCT, seconds.</summary>
    public double P95JctSeconds { get; init; }

    /// <summary>99th percentile JCT, seconds.</summary>
    public double P99JctSeconds { get; init; }

    /// <summary>Mean bounded slowdown: max(1, JCT / max(lifetime, <see cref="TimelineSettings.SlowdownBoundSeconds"/>)).</summary>
    public double MeanBoundedSlowdown { get; init; }

    /// <summary>Completed pods per hour over the makespan.</summary>
    public double ThroughputPerHour { get; init; }

    /// <summary>First submission to last completion, seconds.</summary>
    public double MakespanSeconds { get; init; }

    /// <summary>Preemptions (LAS only).</summary>
    public int Preemptions { get; init; }

    /// <summary>GPU-hours lost to preemption: work since the last checkpoint plus restart delays (LAS only).</summary>
    public double LostGpuHours { get; init; }

    /// <summary>Pods the starvation guard promoted (sjf-predicted only).</summary>
    public long Promoted { get; init; }

    /// <summary>Pods that got a prediction at submission (sjf-predicted only; the rest wait with an unknown key).</summary>
    public int PredictedPods { get; init; }

    /// <summary>The JCT quantile function: <c>JctQuantiles[k]</c> is the JCT at quantile k / (count − 1), seconds.</summary>
    public IReadOnlyList<double> JctQuantiles { get; init; } = [];
}
