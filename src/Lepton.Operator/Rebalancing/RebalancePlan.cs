namespace Lepton.Operator.Rebalancing;

/// <summary>The outcome of planning: the moves, in the order they were chosen, and the cluster's fragmentation.</summary>
/// <param name="Moves">The moves, largest reduction first (each computed after the previous ones).</param>
/// <param name="FragmentationBefore">The cluster's total fragmentation Σ F(n) now, in milli-GPU.</param>
/// <param name="FragmentationAfter">The total predicted after every move.</param>
/// <param name="FragmentedNodes">How many nodes have F(n) at or above <see cref="RebalancerOptions.MinNodeFragmentationMilli"/>.</param>
/// <param name="Candidates">How many pods could be moved.</param>
public sealed record RebalancePlan(
    IReadOnlyList<RebalanceMove> Moves,
    double FragmentationBefore,
    double FragmentationAfter,
    int FragmentedNodes,
    int Candidates)
{
    /// <summary>Gets an empty plan.</summary>
    public static RebalancePlan Empty { get; } = new([], 0, 0, 0, 0);
}
