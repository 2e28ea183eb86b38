using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Queueing;

namespace Lepton.Simulator.Timeline;

/// <summary>How a timeline run orders its queue, and what preemption costs.</summary>
public sealed class TimelineSettings
{
    /// <summary>The bound of the bounded slowdown, seconds: slowdown = max(1, JCT / max(lifetime, this)).</summary>
    public const double SlowdownBoundSeconds = 10;

    /// <summary>The queue order.</summary>
    public QueueOrder Queue { get; init; } = QueueOrder.Fifo;

    /// <summary>
    /// Whether every order puts higher <c>PodDemand.Priority</c> first (kube-scheduler's queue sort), fifo included; the
    /// <see cref="QueueOrder.Priority"/> order always does. Off by default: openb pods carry no PriorityClass, and their
    /// priority is only a stand-in derived from the trace's QoS column (LS 2, Burstable 1, BE 0).
    /// </summary>
    public bool PriorityFirst { get; init; }

    /// <summary>The predictor <see cref="QueueOrder.SjfPredicted"/> orders by; the class-median baseline by default.</summary>
    public IDurationPredictor Predictor { get; init; } = new ClassMedianPredictor();

    /// <summary>The starvation guard of <see cref="QueueOrder.SjfPredicted"/>, or null for none.</summary>
    public StarvationGuard? Guard { get; init; } = StarvationGuard.Default;

    /// <summary>The attained-service levels of <see cref="QueueOrder.Las"/>.</summary>
    public AttainedServiceLevels Levels { get; init; } = AttainedServiceLevels.Default;

    /// <summary>A preempted pod keeps the work up to its last checkpoint, taken every this much of its progress (DECISIONS 23: 30 min).</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A restarted pod first spends this long before it progresses again (DECISIONS 23: 60 s).</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Metrics count only pods whose submission comes after this fraction of the arrivals (0: every pod).</summary>
    public double ReportAfterFraction { get; init; }
}
