using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.GpuPacking;

/// <summary>
/// Packs GPU pods onto partly used cards first, then partly used nodes, then empty nodes (FGD
/// artifact <c>gpu_packing_score.go</c>): cards already in use score 50..100 by how full they
/// are, fully free cards on a used node 33..50, an all-free node 33 − free. CPU-only pods score 0.
/// </summary>
public sealed class GpuPackingScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "GpuPacking";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override bool ScoresNodesIndependently => true;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pod = state.Pod;
        for (var i = 0; i < nodes.Length; i++)
        {
            scores[i] = pod.NeedsGpu ? ScoreNode(pod.GpuMilli, pod.GpuCount, nodes[i].CardFree) : 0;
        }
    }

    private static int ScoreNode(int milli, int count, ReadOnlySpan<int> cards)
    {
        var free = 0;
        foreach (var f in cards)
        {
            if (f >= 1000)
            {
                free++;
            }
        }

        if (free == cards.Length)
        {
            return Math.Max(33 - free, free);
        }

        // Walk cards by ascending free milli (stable), taking those that fit, until count are taken.
        Span<int> order = stackalloc int[cards.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (var i = 1; i < order.Length; i++)
        {
            var v = order[i];
            var j = i - 1;
            while (j >= 0 && cards[order[j]] > cards[v])
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = v;
        }

        int taken = 0, fullyFreeTaken = 0, sum = 0;
        foreach (var idx in order)
        {
            if (taken == count)
            {
                break;
            }

            var left = cards[idx];
            if (left < milli)
            {
                continue;
            }

            taken++;
            if (left >= 1000)
            {
                fullyFreeTaken++;
            }

            sum += left * 100 / 1000;
        }

        return fullyFreeTaken > 0 ? Math.Max(50 - fullyFreeTaken, 33) : Math.Max(100 - (sum / 10), 50);
    }
}
