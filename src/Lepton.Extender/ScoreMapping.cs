namespace Lepton.Extender;

/// <summary>
/// How prioritize turns the policy's node scores (0..100) into kube-scheduler's extender range
/// 0..10 (DECISIONS.md 3; <see cref="ExtenderOptions.ScoreMapping"/>).
/// </summary>
public enum ScoreMapping
{
    /// <summary>
    /// Rank in one total order, score descending then a fixed per-node order among equal scores
    /// (<c>ScoreNormalization.NodeOrderKey</c> of the node name): the first node 10, the next 9, …
    /// the tenth 1, every other node 0. With extender weight 25 kube-scheduler binds exactly the
    /// node the policy chose, ties included. The default (DECISIONS.md 3, measured in kube mode).
    /// </summary>
    StableRank,

    /// <summary>
    /// Min-max over the feasible candidates, rounded to nearest: the best node 10, the worst 0;
    /// every node 0 when all scores are equal (<c>ScoreNormalization.ToExtenderRange</c>).
    /// </summary>
    MinMax,
}
