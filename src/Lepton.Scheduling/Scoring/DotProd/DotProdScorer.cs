using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.DotProd;

/// <summary>
/// Dot product of the node's free vector and the pod's demand vector, each dimension normalised
/// by the cluster's largest node; a smaller product is better: trunc(100·(1 − dot/2)) (FGD
/// artifact <c>dot_product_score.go</c>, merged GPU dimension). Shares take the best-fit card.
/// </summary>
public sealed class DotProdScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "DotProd";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override bool ScoresNodesIndependently => true;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pod = state.Pod;
        var scale = state.Context.Scale;
        var podCpu = pod.CpuMilli / scale.CpuNorm;
        var podGpu = pod.TotalGpuMilli / (double)scale.GpuNorm;
        for (var i = 0; i < nodes.Length; i++)
        {
            var n = nodes[i];
            if (n.CpuFreeMilli < pod.CpuMilli)
            {
                scores[i] = 0;
                continue;
            }

            var dot = (n.CpuFreeMilli / scale.CpuNorm * podCpu) + (n.GpuIdleMilli / (double)scale.GpuNorm * podGpu);
            scores[i] = (int)(100 * (1 - (dot / 2)));
        }
    }
}
