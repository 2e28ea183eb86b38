using Lepton.Scheduling.Fit;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring;

/// <summary>
/// A placement policy shaped like a kube-scheduler score plugin: <see cref="PreScore"/> once per
/// pod, then <see cref="Score"/> over a batch of feasible nodes at once (integers 0..100), and
/// <see cref="SelectCards"/> for the cards on the node finally chosen.
/// </summary>
/// <example>
/// <code>
/// var pre = scorer.PreScore(pod, context);
/// Span&lt;int&gt; scores = stackalloc int[nodes.Length];
/// scorer.Score(pre, nodes, scores);
/// var best = /* the node with the highest score */;
/// Span&lt;int&gt; cards = stackalloc int[pod.GpuCount];
/// var n = scorer.SelectCards(pre, best, cards);
/// </code>
/// </example>
public abstract class NodeScorer
{
    /// <summary>The highest score a scorer returns (kube-scheduler's <c>MaxNodeScore</c>).</summary>
    public const int MaxScore = 100;

    /// <summary>The policy name (<c>docs/DECISIONS.md</c> 14).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether each node's score depends only on the pre-score state and that node (no
    /// normalisation over the batch, no draws from the shared random source) and
    /// <see cref="Score"/> is safe to call concurrently on disjoint parts of a batch. Then a large
    /// batch may be split and scored on several cores with the same result as one call.
    /// False unless a scorer says otherwise.
    /// </summary>
    public virtual bool ScoresNodesIndependently => false;

    /// <summary>The card rule for fractional shares when the scorer has no rule of its own.</summary>
    protected virtual CardSelection.ShareRule ShareRule => CardSelection.ShareRule.BestFit;

    /// <summary>Computes per-pod state once.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="context">The context.</param>
    /// <returns>The state passed to <see cref="Score"/> and <see cref="SelectCards"/>.</returns>
    public virtual PreScoreState PreScore(Inventory.PodDemand pod, ScoringContext context) => new(pod, context);

    /// <summary>Scores each node (all feasible for the pod) from 0 to <see cref="MaxScore"/>.</summary>
    /// <param name="state">The pre-score state.</param>
    /// <param name="nodes">The candidate nodes.</param>
    /// <param name="scores">Receives one score per node, in the same order.</param>
    public abstract void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores);

    /// <summary>Chooses the cards the pod takes on <paramref name="node"/>.</summary>
    /// <param name="state">The pre-score state.</param>
    /// <param name="node">The chosen node.</param>
    /// <param name="cards">Receives card indices; at least the pod's card count long.</param>
    /// <returns>Cards written (0 without GPUs), or -1 when the pod does not fit the node's cards.</returns>
    public virtual int SelectCards(PreScoreState state, NodeState node, Span<int> cards)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        return CardSelection.Select(state.Pod, node.CardFree, ShareRule, cards);
    }

    /// <summary>Scores one node (convenience over the batch form; tests and tools).</summary>
    /// <param name="state">The pre-score state.</param>
    /// <param name="node">The node.</param>
    /// <returns>The score.</returns>
    public int ScoreOne(PreScoreState state, NodeState node)
    {
        Span<int> s = stackalloc int[1];
        Score(state, new[] { node }, s);
        return s[0];
    }
}
