namespace Lepton.Simulator.Kube;

/// <summary>The scoring strategy of kube-scheduler's <c>NodeResourcesFit</c> plugin (CPU and memory, weights 1 and 1).</summary>
public enum NodeResourcesFitStrategy
{
    /// <summary>kube-scheduler's default: prefer the node with the most free CPU and memory (spreads).</summary>
    LeastAllocated,

    /// <summary>Prefer the fullest node (bin-packing).</summary>
    MostAllocated,

    /// <summary>The plugin's score is disabled (its filter still runs).</summary>
    Disabled,
}
