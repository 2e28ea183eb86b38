namespace Lepton.Operator.Rebalancing;

/// <summary>The result of one rebalancer cycle.</summary>
/// <param name="Plan">The plan (empty when the cycle was skipped).</param>
/// <param name="Outcomes">Each planned move's outcome, in plan order.</param>
/// <param name="SkippedBecause">Why the cycle planned nothing without looking (caches not synced, no typical-task mix), or null.</param>
public sealed record RebalanceCycleResult(RebalancePlan Plan, IReadOnlyList<RebalanceMoveOutcome> Outcomes, string? SkippedBecause = null)
{
    /// <summary>Returns the number of moves with <paramref name="result"/>.</summary>
    /// <param name="result">The outcome.</param>
    /// <returns>The count.</returns>
    public int Count(MoveResult result) => Outcomes.Count(o => o.Result == result);
}
