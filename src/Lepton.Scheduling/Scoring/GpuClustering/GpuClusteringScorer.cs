using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.GpuClustering;

/// <summary>
/// Groups pods of the same GPU shape on the same nodes (FGD artifact
/// <c>gpu_clustering_score.go</c>): a node holding only this pod's tag scores 75, its tag among
/// others 50, no GPU pods 25, only other tags 0, plus ⌊25·(maxGpu − idle)/maxGpu⌋. CPU-only pods score 0.
/// </summary>
public sealed class GpuClusteringScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "GpuClustering";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override bool ScoresNodesIndependently => true;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var tag = state.Pod.AffinityTag;
        var maxGpu = state.Context.Scale.GpuNorm;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (tag < 0)
            {
                scores[i] = 0;
                continue;
            }

            var n = nodes[i];
            var basis = 25 * (maxGpu - n.GpuIdleMilli) / maxGpu;
            var same = n.PodsWithTag(tag);
            var all = n.GpuPodCount;
            var tier = all == 0 ? 25 : same == 0 ? 0 : same == all ? 75 : 50;
            scores[i] = Math.Clamp(tier + basis, 0, MaxScore);
        }
    }
}
