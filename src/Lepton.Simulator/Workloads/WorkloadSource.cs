namespace Lepton.Simulator.Workloads;

/// <summary>Where a workload came from; decides how arrivals are built from it.</summary>
public enum WorkloadSource
{
    /// <summary>An openb-format trace (node and pod CSVs): arrivals follow the FGD artifact's method.</summary>
    Trace,

    /// <summary>The built-in synthetic workload (openb statistics): treated like a trace.</summary>
    Synthetic,

    /// <summary>
    /// A cluster read from <c>kubectl get nodes,pods -A -o json</c>: bound pods are the starting
    /// state and pending pods arrive once each, in creation order (no shuffle, no tune-up).
    /// </summary>
    ClusterState,
}
