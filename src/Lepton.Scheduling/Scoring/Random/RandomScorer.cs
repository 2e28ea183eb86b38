using Lepton.Scheduling.Fit;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.Random;

/// <summary>
/// The random baseline: one feasible node, drawn uniformly from the context's seeded random
/// source, scores 100 and the rest 0; a share takes a uniformly drawn card that fits (FGD
/// artifact <c>random_score.go</c>).
/// </summary>
public sealed class RandomScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "Random";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (nodes.IsEmpty)
        {
            return;
        }

        scores[..nodes.Length].Clear();
        scores[state.Context.Random.Next(nodes.Length)] = MaxScore;
    }

    /// <inheritdoc />
    public override int SelectCards(PreScoreState state, NodeState node, Span<int> cards)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        if (!state.Pod.IsSharing)
        {
            return base.SelectCards(state, node, cards);
        }

        var c = CardSelection.Uniform(node.CardFree, state.Pod.GpuMilli, state.Context.Random);
        if (c < 0)
        {
            return -1;
        }

        cards[0] = c;
        return 1;
    }
}
