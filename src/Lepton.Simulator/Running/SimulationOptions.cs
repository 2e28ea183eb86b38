using System.Collections.Immutable;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Running;

/// <summary>What to simulate: mode, policies, seeds and the mode's settings.</summary>
public sealed class SimulationOptions
{
    /// <summary>The artifact's first seed (<c>--seeds N</c> runs 42..42+N−1, DECISIONS.md 14).</summary>
    public const int FirstSeed = 42;

    /// <summary>The mode.</summary>
    public SimulationMode Mode { get; init; } = SimulationMode.Artifact;

    /// <summary>Policy names (ScorerRegistry names); the six paper policies by default.</summary>
    public IReadOnlyList<string> Policies { get; init; } = ScorerRegistry.PaperPolicies;

    /// <summary>How many seeds, from <see cref="FirstSeed"/>.</summary>
    public int SeedCount { get; init; } = 10;

    /// <summary>The arrived-workload levels (percent of GPU capacity) the report gives unallocated GPU % at.</summary>
    public ImmutableArray<int> Levels { get; init; } = [100, 110, 130];

    /// <summary>The tune-up target (artifact and kube modes).</summary>
    public double TuneRatio { get; init; } = ArrivalPlanner.DefaultTuneRatio;

    /// <summary>kube-scheduler's configuration (kube mode).</summary>
    public KubeSchedulerOptions Kube { get; init; } = KubeDefaults.Scheduler();

    /// <summary>The extender's 0..100 → 0..10 mapping (kube mode).</summary>
    public ScoreMapping Mapping { get; init; } = KubeDefaults.Mapping;

    /// <summary>In kube mode, also run each policy in artifact mode and the kube-scheduler-alone reference, to report what survives the interface.</summary>
    public bool CompareWithArtifact { get; init; } = true;

    /// <summary>The waiting queue's orders (timeline mode): every policy and seed runs once per order, on the same cluster and arrivals.</summary>
    public IReadOnlyList<QueueOrder> Queues { get; init; } = [QueueOrder.Fifo];

    /// <summary>Timeline mode: the sampled cluster's size in GPUs (<c>--gpus</c>), or null to replay the whole node list at the trace's own times.</summary>
    public int? Gpus { get; init; }

    /// <summary>Timeline mode with <see cref="Gpus"/>: the effective offered load the arrivals are compressed to (<c>--load</c>).</summary>
    public double Load { get; init; } = 1.0;

    /// <summary>Timeline mode: the guard, preemption costs and report cut; each run copies it with its queue order and predictor.</summary>
    public TimelineSettings Timeline { get; init; } = new();

    /// <summary>Timeline mode: the predictor's name for reports (<c>--predictor</c>).</summary>
    public string PredictorName { get; init; } = ClassMedianPredictor.Name;

    /// <summary>Timeline mode: makes the predictor <c>sjf-predicted</c> orders by, from the (unsampled) workload; the class-median baseline when null.</summary>
    public Func<Workload, IDurationPredictor>? PredictorFactory { get; init; }

    /// <summary>Runs at once; all cores by default.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The seeds.</summary>
    public IEnumerable<int> Seeds => Enumerable.Range(FirstSeed, SeedCount);
}
