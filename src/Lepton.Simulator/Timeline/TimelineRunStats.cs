namespace Lepton.Simulator.Timeline;

/// <summary>Timeline-mode measurements of one run.</summary>
/// <param name="MeanWaitSeconds">Mean queueing delay of the placed pods (creation to placement), seconds.</param>
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
    IReadOnlyList<(double Seconds, double AllocatedPercent)> Series);
