namespace Lepton.Simulator.Kube;

/// <summary>
/// The kube-mode configuration Lepton recommends (and its chart sets), chosen from the kube-mode
/// measurements in <c>docs/SIMULATOR.md</c>.
/// </summary>
public static class KubeDefaults
{
    /// <summary>The recommended extender score mapping.</summary>
    public const ExtenderScoreMapping Mapping = ExtenderScoreMapping.MinMaxRounded;

    /// <summary>The recommended scheduler configuration.</summary>
    /// <returns>A new options object.</returns>
    public static KubeSchedulerOptions Scheduler() => new()
    {
        PercentageOfNodesToScore = 100,
        ExtenderWeight = 1,
        FitStrategy = NodeResourcesFitStrategy.LeastAllocated,
        FitWeight = 1,
        BalancedAllocationWeight = 1,
    };
}
