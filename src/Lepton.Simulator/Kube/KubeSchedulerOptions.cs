using System.ComponentModel.DataAnnotations;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The kube-scheduler configuration the emulator models: <c>percentageOfNodesToScore</c>, the
/// default score plugins that matter for GPU placement, and the extender's weight.
/// </summary>
public sealed class KubeSchedulerOptions
{
    /// <summary>
    /// <c>percentageOfNodesToScore</c>: 100 scores every node (Lepton's chart); 0 is kube-scheduler's
    /// adaptive default, max(5, 50 − nodes/125)% of the nodes and at least 100.
    /// </summary>
    [Range(0, 100)]
    public int PercentageOfNodesToScore { get; set; } = 100;

    /// <summary>The extender's <c>weight</c>: its 0..10 score counts weight × 10 against plugin scores of 0..100 × plugin weight.</summary>
    [Range(1, 1000)]
    public long ExtenderWeight { get; set; } = 1;

    /// <summary><c>NodeResourcesFit</c>'s scoring strategy over CPU and memory (kube-scheduler default: LeastAllocated).</summary>
    public NodeResourcesFitStrategy FitStrategy { get; set; } = NodeResourcesFitStrategy.LeastAllocated;

    /// <summary><c>NodeResourcesFit</c>'s plugin weight (kube-scheduler default 1).</summary>
    [Range(0, 100)]
    public int FitWeight { get; set; } = 1;

    /// <summary><c>NodeResourcesBalancedAllocation</c>'s plugin weight (kube-scheduler default 1; 0 disables it).</summary>
    [Range(0, 100)]
    public int BalancedAllocationWeight { get; set; } = 1;

    /// <summary>A short description for reports, e.g. <c>weight 1, LeastAllocated×1 + Balanced×1, 100% of nodes</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var plugins = new List<string>();
        if (FitStrategy != NodeResourcesFitStrategy.Disabled && FitWeight > 0)
        {
            plugins.Add($"{FitStrategy}×{FitWeight}");
        }

        if (BalancedAllocationWeight > 0)
        {
            plugins.Add($"BalancedAllocation×{BalancedAllocationWeight}");
        }

        var pct = PercentageOfNodesToScore is 0 ? "adaptive % of nodes" : $"{PercentageOfNodesToScore}% of nodes";
        return $"extender weight {ExtenderWeight}, plugins {(plugins.Count == 0 ? "none" : string.Join(" + ", plugins))}, {pct}";
    }
}
