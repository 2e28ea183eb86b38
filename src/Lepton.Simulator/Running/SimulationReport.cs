using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Running;

/// <summary>Everything one <c>lepton simulate</c> invocation measured.</summary>
public sealed class SimulationReport
{
    /// <summary>The options.</summary>
    public required SimulationOptions Options { get; init; }

    /// <summary>The workload.</summary>
    public required Workload Workload { get; init; }

    /// <summary>One summary per policy, in the order asked for.</summary>
    public required IReadOnlyList<PolicySummary> Policies { get; init; }

    /// <summary>In kube mode, the kube-scheduler-alone reference (Lepton filters, scores nothing); otherwise null.</summary>
    public PolicySummary? KubeReference { get; init; }

    /// <summary>Timeline mode with <c>--gpus</c>: each seed's sampled cluster and compressed arrivals, in seed order; otherwise empty.</summary>
    public IReadOnlyList<LoadedScenario> Scenarios { get; init; } = [];

    /// <summary>The typical-task mix the fragmentation measure used: classes kept and their coverage.</summary>
    public required (int Classes, double Coverage) TypicalTasks { get; init; }

    /// <summary>Wall time of all runs.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>A description of the mode's settings (kube configuration, queue order), for reports.</summary>
    public required string Settings { get; init; }
}
