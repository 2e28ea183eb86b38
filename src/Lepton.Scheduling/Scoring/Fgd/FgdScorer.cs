using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.Fgd;

/// <summary>
/// Fragmentation gradient descent (Weng et al., ATC'23): places the pod where it increases the
/// node's expected fragmentation least. Score = trunc(100·sigmoid((F_before − F_after)/1000)),
/// F from <see cref="Fragmentation.FragmentationModel"/>. For a share, every card that fits is
/// tried and the best counts; the card used is the lowest index with that integer score. Other
/// pods are tried on the least-free sufficient cards (FGD artifact <c>fgd_score.go</c>).
/// </summary>
/// <remarks>
/// The integer truncation is deliberate: with the random node-priority tie-break it is worth
/// about 1.1 points of unallocated GPU on openb (<c>traces/openb/METHOD.md</c> section 7).
/// </remarks>
public sealed class FgdScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "FGD";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    /// <remarks>Per-node scores are cached on the node state with atomic writes, so concurrent batches are safe.</remarks>
    public override bool ScoresNodesIndependently => true;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (var i = 0; i < nodes.Length; i++)
        {
            scores[i] = ScoreNode(state, nodes[i], out _);
        }
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

        ScoreNode(state, node, out var card);
        if (card < 0)
        {
            return -1;
        }

        cards[0] = card;
        return 1;
    }

    /// <summary>Scores one node and reports the card a share would take (-1 for other pods or no fit).</summary>
    /// <param name="state">The pre-score state.</param>
    /// <param name="node">The node.</param>
    /// <param name="shareCard">The chosen card for a share.</param>
    /// <returns>The score 0..100.</returns>
    /// <remarks>
    /// The result depends only on the node state (immutable), the fragmentation model and the
    /// pod's shape (CPU, milli per card, cards), so it is cached on the node state per shape: a
    /// node keeps its state across many pods, and most pods share a few shapes.
    /// </remarks>
    internal static int ScoreNode(PreScoreState state, NodeState node, out int shareCard)
    {
        var pod = state.Pod;
        var model = state.Context.Fragmentation;
        // The node's slots array is the cache itself (one pointer less to follow per node).
        var cache = node.ScoreCache as ShapeEntry?[];
        var slot = ShapeSlot(pod.CpuMilli, pod.GpuMilli, pod.GpuCount);
        if (cache is not null)
        {
            // Two-way: a shape lives in its slot or the slot's neighbour (the same cache line), so
            // two frequent shapes that hash alike do not evict each other on every pod.
            var hit = Matches(Volatile.Read(ref cache[slot]), model, pod) ?? Matches(Volatile.Read(ref cache[slot ^ 1]), model, pod);
            if (hit is not null)
            {
                shareCard = hit.Card;
                return hit.Score;
            }
        }

        var score = Compute(pod, model, node, out shareCard);
        if (cache is null)
        {
            var fresh = new ShapeEntry?[1 << ShapeBits];
            cache = Interlocked.CompareExchange(ref node.ScoreCacheSlot, fresh, null) as ShapeEntry?[] ?? fresh;
        }

        // Entries are whole immutable objects written atomically: a racing writer may lose an
        // entry, never corrupt one (every hit re-checks the full shape and the model).
        var entry = new ShapeEntry(model, pod.CpuMilli, pod.GpuMilli, pod.GpuCount, score, shareCard);
        var primary = Volatile.Read(ref cache[slot]);
        if (primary is null || !ReferenceEquals(primary.Model, model))
        {
            Volatile.Write(ref cache[slot], entry);
        }
        else
        {
            // The primary holds another live shape: keep it as the neighbour, the newest first.
            Volatile.Write(ref cache[slot ^ 1], primary);
            Volatile.Write(ref cache[slot], entry);
        }

        return score;
    }

    private static ShapeEntry? Matches(ShapeEntry? entry, Fragmentation.FragmentationModel model, PodDemand pod) =>
        entry is not null && ReferenceEquals(entry.Model, model) && entry.Cpu == pod.CpuMilli && entry.Milli == pod.GpuMilli && entry.Count == pod.GpuCount
            ? entry
            : null;

    private static int Compute(PodDemand pod, Fragmentation.FragmentationModel model, NodeState node, out int shareCard)
    {
        shareCard = -1;
        var before = model.Of(node);
        var cpuAfter = node.CpuFreeMilli - pod.CpuMilli;
        var gpuModel = node.Inventory.GpuModel;
        var free = node.CardFree;
        Span<int> hypo = stackalloc int[free.Length];
        free.CopyTo(hypo);

        if (pod.IsSharing)
        {
            var best = -1;
            for (var i = 0; i < free.Length; i++)
            {
                var left = free[i];
                if (left < pod.GpuMilli || SeenEarlier(free, i))
                {
                    continue;
                }

                hypo[i] = left - pod.GpuMilli;
                var s = ToScore(before - model.Evaluate(hypo, cpuAfter, gpuModel));
                hypo[i] = left;
                if (s > best)
                {
                    best = s;
                    shareCard = i;
                }
            }

            return Math.Max(best, 0);
        }

        if (pod.NeedsGpu)
        {
            Span<int> chosen = stackalloc int[pod.GpuCount];
            if (CardSelection.DistinctByLeastFree(free, pod.GpuMilli, pod.GpuCount, chosen) < 0)
            {
                return 0;
            }

            foreach (var c in chosen)
            {
                hypo[c] -= pod.GpuMilli;
            }
        }

        return ToScore(before - model.Evaluate(hypo, cpuAfter, gpuModel));
    }

    /// <summary>trunc(100·sigmoid(Δ/1000)), Δ = F_before − F_after in milli-GPU.</summary>
    /// <param name="delta">The fragmentation decrease.</param>
    /// <returns>The score 0..100.</returns>
    /// <remarks>Evaluated as the artifact writes it, <c>int64(sigmoid(Δ/1000) * 100)</c>, so the truncation matches to the last bit.</remarks>
    internal static int ToScore(double delta) => (int)(1.0 / (1.0 + Math.Exp(-delta / 1000.0)) * MaxScore);

    private static bool SeenEarlier(ReadOnlySpan<int> free, int i)
    {
        for (var j = 0; j < i; j++)
        {
            if (free[j] == free[i])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A node state's cached scores: an array of 2^<see cref="ShapeBits"/> slots, two-way (a shape's slot and its neighbour).</summary>
    private const int ShapeBits = 5;

    private static int ShapeSlot(long cpu, int milli, int count) =>
        (int)(((ulong)((cpu * 1_000_003) ^ ((long)milli << 8) ^ count) * 0x9E3779B97F4A7C15UL) >> (64 - ShapeBits));

    /// <summary>One cached score: the shape, the model it was computed with, the score and the share card.</summary>
    private sealed record ShapeEntry(Fragmentation.FragmentationModel Model, long Cpu, int Milli, int Count, int Score, int Card);
}
