namespace Lepton.Scheduling.Fit;

/// <summary>How much of the node a failure's readable reason shows (<see cref="FitChecker.Describe(FitCode, Inventory.PodDemand, State.NodeState, FitReasonDetail)"/>).</summary>
public enum FitReasonDetail
{
    /// <summary>
    /// The reason with the node's figures ("Insufficient GPU: needs 2 GPUs, 1 free of 8"): for one node, where the
    /// figures are the point (a bind refused, the rebalancer's log, <c>lepton explain</c>).
    /// </summary>
    Full,

    /// <summary>
    /// The reason without per-node figures ("Insufficient GPU: needs 2 free GPUs"): what filter answers kube-scheduler
    /// in <c>FailedNodes</c>. kube-scheduler's <c>FailedScheduling</c> event counts nodes by identical reason text
    /// ("0/5000 nodes are available: 4200 Insufficient GPU: needs 2 free GPUs, ..."), so a reason that quoted each node's
    /// free figures would split that count into thousands of one-node entries. Categorical node facts (a taint, a
    /// label value, a GPU model or resource) stay, since they take few values.
    /// </summary>
    Summary,
}
