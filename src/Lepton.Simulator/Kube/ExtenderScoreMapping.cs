namespace Lepton.Simulator.Kube;

/// <summary>How the extender squeezes a policy's 0..100 node scores into kube-scheduler's extender range 0..10.</summary>
public enum ExtenderScoreMapping
{
    /// <summary>Min-max over the candidates, rounded to nearest (DECISIONS.md 3; <c>ScoreNormalization.ToExtenderRange</c>).</summary>
    MinMaxRounded,

    /// <summary>Min-max over the candidates, truncated: only the best nodes reach 10.</summary>
    MinMaxTruncated,

    /// <summary>By rank of distinct scores: the best score 10, the next distinct score 9, … floored at 0; equal scores stay tied.</summary>
    Rank,

    /// <summary>The score divided by 10, truncated (no normalisation over the candidates).</summary>
    Divide,

    /// <summary>The best nodes 10, every other node 0.</summary>
    TopOnly,

    /// <summary>
    /// Rank in one total order, score then a fixed per-node order: 10, 9, … 1 for the first ten
    /// nodes, 0 for the rest (<c>ScoreNormalization.ToExtenderRangeByRank</c>). With weight above 20
    /// kube-scheduler follows the policy's choice exactly, ties broken as the artifact breaks them.
    /// </summary>
    StableRank,
}
