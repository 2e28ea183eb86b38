namespace Lepton.Simulator.Timeline;

/// <summary>
/// The order in which waiting pods are retried when capacity frees (<c>--queue</c>). With
/// <see cref="TimelineSettings.PriorityFirst"/> every order sorts by priority first, as kube-scheduler's queue does.
/// </summary>
public enum QueueOrder
{
    /// <summary><c>fifo</c>: by creation time, priority ignored.</summary>
    Fifo,

    /// <summary><c>priority</c>: higher <c>PodDemand.Priority</c> first, then by creation time (kube-scheduler's default queue sort).</summary>
    Priority,

    /// <summary>
    /// <c>las</c>: Tiresias-style least attained service (discretised GPU-time levels, then creation
    /// time), preemptive: a waiting pod preempts running pods at a higher level; LS pods and
    /// CPU-only pods are never preempted; a preempted pod loses the work since its last checkpoint and pays a restart delay.
    /// </summary>
    Las,

    /// <summary><c>sjf-oracle</c>: shortest true lifetime first: the bound for non-preemptive orders.</summary>
    SjfOracle,

    /// <summary><c>sjf-predicted</c>: shortest predicted run time first, with a starvation guard.</summary>
    SjfPredicted,
}
