namespace Lepton.Simulator.Invocation;

/// <summary>
/// The arguments of <c>lepton simulate</c> as typed (strings, null when absent), validated by
/// <see cref="SimulateInvocation"/> so every mistake gets one clear message and exit code 2.
/// </summary>
public sealed class SimulateArguments
{
    /// <summary><c>--nodes</c>: an openb node CSV.</summary>
    public string? Nodes { get; init; }

    /// <summary><c>--pods</c>: an openb pod CSV.</summary>
    public string? Pods { get; init; }

    /// <summary><c>--cluster-state</c>: a <c>kubectl get nodes,pods -A -o json</c> file.</summary>
    public string? ClusterState { get; init; }

    /// <summary><c>--mode</c>: artifact (default), kube or timeline.</summary>
    public string? Mode { get; init; }

    /// <summary><c>--policies</c>: comma-separated policy names (default: the six paper policies).</summary>
    public string? Policies { get; init; }

    /// <summary><c>--seeds</c>: how many seeds, from 42 (default 10).</summary>
    public string? Seeds { get; init; }

    /// <summary><c>--out</c>: the output folder (default <see cref="SimulateInvocation.DefaultOutputDirectory"/>).</summary>
    public string? Out { get; init; }

    /// <summary><c>--queue</c>: the timeline queue orders, comma-separated: fifo (default), priority, las, sjf-oracle, sjf-predicted.</summary>
    public string? Queue { get; init; }

    /// <summary><c>--gpus</c>: timeline mode, the sampled cluster's size in GPUs (a loaded timeline, DECISIONS 23).</summary>
    public string? Gpus { get; init; }

    /// <summary><c>--load</c>: timeline mode with <c>--gpus</c>, the effective offered load (default 1).</summary>
    public string? Load { get; init; }

    /// <summary><c>--predictor</c>: what sjf-predicted orders by: class-median (default), noisy-oracle:SIGMA, learned (the shipped bundle, when the caller can load bundles) or a predictor bundle's path.</summary>
    public string? Predictor { get; init; }

    /// <summary><c>--priority-first</c>: yes to sort every queue order by priority first (kube-scheduler's queue), no (default) otherwise.</summary>
    public string? PriorityFirst { get; init; }

    /// <summary><c>--starvation-guard</c>: sjf-predicted's guard, BOUND_SECONDS,MULTIPLE (default 604800,8) or none.</summary>
    public string? StarvationGuard { get; init; }

    /// <summary><c>--checkpoint-every</c>: las, seconds of progress between checkpoints (default 1800).</summary>
    public string? CheckpointEvery { get; init; }

    /// <summary><c>--restart-delay</c>: las, seconds a preempted pod spends restarting (default 60).</summary>
    public string? RestartDelay { get; init; }

    /// <summary><c>--report-after</c>: timeline metrics count only pods submitted after this fraction of the arrivals (default 0).</summary>
    public string? ReportAfter { get; init; }

    /// <summary><c>--extender-weight</c>: the extender weight in kube mode.</summary>
    public string? ExtenderWeight { get; init; }

    /// <summary><c>--score-mapping</c>: the extender's 0..10 mapping in kube mode.</summary>
    public string? ScoreMapping { get; init; }

    /// <summary><c>--fit-strategy</c>: NodeResourcesFit's scoring in kube mode: least (default), most or none.</summary>
    public string? FitStrategy { get; init; }

    /// <summary><c>--balanced-allocation-weight</c>: NodeResourcesBalancedAllocation's weight in kube mode (0 disables).</summary>
    public string? BalancedAllocationWeight { get; init; }

    /// <summary><c>--percentage-of-nodes-to-score</c>: kube mode's percentageOfNodesToScore (0 = kube's adaptive default).</summary>
    public string? PercentageOfNodesToScore { get; init; }

    /// <summary>Tokens the command line did not recognise.</summary>
    public IReadOnlyList<string> Unrecognized { get; init; } = [];
}
