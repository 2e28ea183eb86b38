namespace Lepton.Scheduling.Scoring;

/// <summary>
/// How a policy's node scores (0..100) become kube-scheduler's extender range 0..10
/// (<see cref="ScoreNormalization.Map"/>; DECISIONS.md 3). <c>lepton serve --score-mapping</c> and
/// <c>lepton simulate --score-mapping</c> take the same names; <see cref="StableRank"/> is the
/// default of both, the others are kept to compare against it (docs/SIMULATOR.md section 5).
/// </summary>
public enum ScoreMapping
{
    /// <summary>
    /// Rank in one total order, score descending then a fixed per-node order among equal scores
    /// (<see cref="ScoreNormalization.NodeOrderKey"/> of the node name): the first node 10, the next
    /// 9, … the tenth 1, every other node 0. With extender weight 25 kube-scheduler binds exactly the
    /// node the policy chose, ties included. The default (DECISIONS.md 3, measured in kube mode).
    /// </summary>
    StableRank,

    /// <summary>
    /// Min-max over the feasible candidates, rounded to nearest: the best node 10, the worst 0;
    /// every node 0 when all scores are equal (<see cref="ScoreNormalization.ToExtenderRange"/>).
    /// </summary>
    MinMax,

    /// <summary>Min-max over the candidates, truncated: only the best nodes reach 10.</summary>
    MinMaxTruncated,

    /// <summary>By rank of distinct scores: the best score 10, the next distinct score 9, … floored at 0; equal scores stay tied.</summary>
    Rank,

    /// <summary>The score divided by 10, truncated (no normalisation over the candidates).</summary>
    Divide,

    /// <summary>The best nodes 10, every other node 0.</summary>
    TopOnly,
}
