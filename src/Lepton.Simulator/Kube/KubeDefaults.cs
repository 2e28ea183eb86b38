using Lepton.Scheduling.Scoring;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The kube-mode configuration Lepton recommends (and its chart sets), chosen from the kube-mode
/// measurements in <c>docs/SIMULATOR.md</c> section 5: scores mapped to 0..10 by
/// <see cref="ScoreMapping.StableRank"/>, extender weight 25 (above 20, so one rank step,
/// 250 points, outweighs the 200 points kube-scheduler's default plugins can differ by, and
/// kube-scheduler binds exactly the policy's choice), kube-scheduler's default score plugins left
/// as they are (they only decide when Lepton expresses no preference), every node scored.
/// </summary>
public static class KubeDefaults
{
    /// <summary>The recommended extender weight.</summary>
    public const long ExtenderWeight = 25;

    /// <summary>The recommended extender score mapping.</summary>
    public const ScoreMapping Mapping = ScoreMapping.StableRank;

    /// <summary>The recommended scheduler configuration.</summary>
    /// <returns>A new options object.</returns>
    public static KubeSchedulerOptions Scheduler() => new()
    {
        PercentageOfNodesToScore = 100,
        ExtenderWeight = ExtenderWeight,
        FitStrategy = NodeResourcesFitStrategy.LeastAllocated,
        FitWeight = 1,
        BalancedAllocationWeight = 1,
    };
}
