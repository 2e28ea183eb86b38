namespace Lepton.Simulator.Timeline;

/// <summary>The order in which waiting pods are retried when capacity frees.</summary>
public enum QueueOrder
{
    /// <summary>By creation time.</summary>
    Fifo,

    /// <summary>Higher <c>PodDemand.Priority</c> first, then by creation time (kube-scheduler's default queue sort).</summary>
    Priority,
}
