using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The kube mode's reference: Lepton filters (card-level fit) but expresses no preference, so
/// kube-scheduler's own plugins and its random tie-break alone choose the node. Shares take the
/// best-fit card. A policy's gain is measured against this.
/// </summary>
public sealed class NoPreferenceScorer : NodeScorer
{
    /// <summary>The reference's name in reports.</summary>
    public const string PolicyName = "kube-scheduler alone";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores) => scores[..nodes.Length].Clear();
}
