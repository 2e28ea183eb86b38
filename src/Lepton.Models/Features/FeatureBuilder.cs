using System.Buffers;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;

namespace Lepton.Models.Features;

/// <summary>
/// Writes feature rows in the layout of <see cref="FeatureSchema"/>: the one feature code that
/// the trainer, the simulator and the extender all call. Rows go into caller-provided spans; no
/// allocation per node. Deterministic: the same pod, node and context give the same bits.
/// </summary>
/// <remarks>
/// The pair features include FGD's own integer score and share card, taken from
/// <see cref="FgdScorer"/> itself (FGD artifact <c>fgd_score.go</c>; one implementation, and its
/// per-node score cache serves both), and the fragmentation after that placement, so a model can
/// reproduce FGD and the fallback costs nothing extra.
/// </remarks>
public static class FeatureBuilder
{
    private const float GiBPerTiB = 1024f;
    private const double BytesPerGiB = 1024.0 * 1024 * 1024;
    private const float MaxCards = 8f;

    /// <summary>Writes the pod features (columns 0..<see cref="FeatureSchema.PodCount"/>−1).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="scale">The cluster's normalisers.</param>
    /// <param name="predictedLogSeconds">Predicted ln(lifetime in seconds), or null when unknown (written as 0).</param>
    /// <param name="destination">At least <see cref="FeatureSchema.PodCount"/> floats.</param>
    public static void WritePod(PodDemand pod, ClusterScale scale, double? predictedLogSeconds, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(scale);
        var d = destination[..FeatureSchema.PodCount];
        var qos = QosOf(pod.QosClass);
        d[0] = (float)(pod.CpuMilli / scale.CpuNorm);
        d[1] = (float)(pod.MemoryBytes / BytesPerGiB) / GiBPerTiB;
        d[2] = pod.NeedsGpu ? pod.GpuMilli / 1000f : 0f;
        d[3] = pod.NeedsGpu ? pod.GpuCount / MaxCards : 0f;
        d[4] = (float)(pod.TotalGpuMilli / (double)scale.GpuNorm);
        d[5] = pod.IsSharing ? 1f : 0f;
        d[6] = pod.NeedsGpu ? 0f : 1f;
        d[7] = pod.GpuModels.IsDefaultOrEmpty ? 0f : pod.GpuModels.Length;
        d[8] = qos == 2 ? 1f : 0f;
        d[9] = qos == 1 ? 1f : 0f;
        d[10] = qos == 0 ? 1f : 0f;
        d[11] = predictedLogSeconds is { } p && double.IsFinite(p) ? (float)(p / 10.0) : 0f;
    }

    /// <summary>Writes one full row (pod, node and pair features) for a candidate node.</summary>
    /// <param name="pod">The pod's features.</param>
    /// <param name="node">The candidate node (the pod fits it).</param>
    /// <param name="row">At least <see cref="FeatureSchema.Count"/> floats.</param>
    /// <returns>FGD's score and share card for the pair.</returns>
    public static PairInfo WriteRow(PodFeatures pod, NodeState node, Span<float> row)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var r = row[..FeatureSchema.Count];
        pod.Values.CopyTo(r);
        var demand = pod.Pod;
        var context = pod.Context;
        var scale = context.Scale;
        var model = context.Fragmentation;
        var inv = node.Inventory;
        var free = node.CardFree;

        int maxFree = 0, minFree = free.Length == 0 ? 0 : int.MaxValue, partial = 0;
        foreach (var f in free)
        {
            maxFree = Math.Max(maxFree, f);
            minFree = Math.Min(minFree, f);
            if (f is > 0 and < 1000)
            {
                partial++;
            }
        }

        var before = model.Of(node);
        var idle = node.GpuIdleMilli;
        r[12] = inv.GpuCards / MaxCards;
        r[13] = idle / (float)scale.GpuNorm;
        r[14] = node.FullyFreeCards / MaxCards;
        r[15] = maxFree / 1000f;
        r[16] = minFree / 1000f;
        r[17] = partial / MaxCards;
        r[18] = inv.CpuMilli > 0 ? (float)((double)node.CpuFreeMilli / inv.CpuMilli) : 0f;
        r[19] = inv.MemoryBytes > 0 ? (float)((double)node.MemoryFreeBytes / inv.MemoryBytes) : 0f;
        r[20] = (float)(node.CpuFreeMilli / scale.CpuNorm);
        r[21] = (float)(before / 1000.0);
        r[22] = idle > 0 ? (float)(before / idle) : 0f;

        var (score, card, after) = Fgd(pod, node, model, before);
        var delta = before - after;
        r[23] = (float)(delta / 1000.0);
        r[24] = score / 100f;
        r[25] = (float)(after / 1000.0);
        r[26] = GpuSlack(demand, node, card, scale);
        r[27] = (float)((node.CpuFreeMilli - demand.CpuMilli) / scale.CpuNorm);
        r[28] = !demand.GpuModels.IsDefaultOrEmpty && demand.AcceptsModel(inv.GpuModel) ? 1f : 0f;
        r[29] = (float)((0.5 * (node.CpuFreeMilli - demand.CpuMilli) / scale.CpuNorm) + (0.5 * (idle - demand.TotalGpuMilli) / scale.GpuNorm));
        r[30] = (float)(((node.CpuFreeMilli / scale.CpuNorm * (demand.CpuMilli / scale.CpuNorm)) + (idle / (double)scale.GpuNorm * (demand.TotalGpuMilli / (double)scale.GpuNorm))) / 2);
        r[31] = card >= 0 && free[card] < 1000 ? 1f : 0f;
        return new PairInfo(score, card);
    }

    /// <summary>Writes one row per node into a row-major [nodes, <see cref="FeatureSchema.Count"/>] matrix.</summary>
    /// <param name="pod">The pod's features.</param>
    /// <param name="nodes">The candidate nodes.</param>
    /// <param name="matrix">At least nodes × <see cref="FeatureSchema.Count"/> floats.</param>
    /// <param name="fgdScores">Receives FGD's score per node (the fallback); at least nodes long.</param>
    public static void WriteBatch(PodFeatures pod, ReadOnlySpan<NodeState> nodes, Span<float> matrix, Span<int> fgdScores)
    {
        const int f = FeatureSchema.Count;
        for (var i = 0; i < nodes.Length; i++)
        {
            fgdScores[i] = WriteRow(pod, nodes[i], matrix.Slice(i * f, f)).FgdScore;
        }
    }

    /// <summary>
    /// <see cref="WriteBatch(PodFeatures, ReadOnlySpan{NodeState}, Span{float}, Span{int})"/> for a
    /// large batch, its rows written on several cores in the contiguous parts of
    /// <see cref="BatchPartition"/>: each row depends on its node alone, so the matrix and the FGD
    /// scores are the ones the sequential call writes. A batch below
    /// <see cref="BatchPartition.MinParallelNodes"/> (or one core) is written sequentially.
    /// </summary>
    /// <param name="pod">The pod's features.</param>
    /// <param name="nodes">The candidate nodes.</param>
    /// <param name="matrix">At least nodes × <see cref="FeatureSchema.Count"/> floats.</param>
    /// <param name="fgdScores">Receives FGD's score per node (the fallback); at least nodes long.</param>
    /// <param name="cores">The logical processors to spread the rows over.</param>
    public static void WriteBatch(PodFeatures pod, ReadOnlySpan<NodeState> nodes, float[] matrix, Span<int> fgdScores, int cores)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = nodes.Length;
        var parts = BatchPartition.PartCount(n, cores);
        if (parts <= 1)
        {
            WriteBatch(pod, nodes, matrix, fgdScores);
            return;
        }

        const int f = FeatureSchema.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(matrix.Length, n * f, nameof(matrix));
        ArgumentOutOfRangeException.ThrowIfLessThan(fgdScores.Length, n, nameof(fgdScores));

        // Spans cannot cross into the workers: the nodes and the FGD scores go through pooled arrays.
        var shared = ArrayPool<NodeState>.Shared.Rent(n);
        var fgd = ArrayPool<int>.Shared.Rent(n);
        try
        {
            nodes.CopyTo(shared);
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, c =>
            {
                var lo = BatchPartition.Start(n, parts, c);
                var count = BatchPartition.Start(n, parts, c + 1) - lo;
                WriteBatch(pod, shared.AsSpan(lo, count), matrix.AsSpan(lo * f, count * f), fgd.AsSpan(lo, count));
            });
            fgd.AsSpan(0, n).CopyTo(fgdScores);
        }
        finally
        {
            Array.Clear(shared, 0, n);
            ArrayPool<NodeState>.Shared.Return(shared);
            ArrayPool<int>.Shared.Return(fgd);
        }
    }

    /// <summary>The QoS class as 2 (latency-sensitive / Guaranteed), 1 (Burstable) or 0 (best effort and anything else).</summary>
    /// <param name="qos">The pod's QoS class string.</param>
    /// <returns>The class.</returns>
    public static int QosOf(string? qos) => qos switch
    {
        "LS" or "Guaranteed" => 2,
        "Burstable" => 1,
        _ => 0,
    };

    private static float GpuSlack(PodDemand pod, NodeState node, int card, ClusterScale scale)
    {
        if (!pod.NeedsGpu)
        {
            return node.GpuIdleMilli / (float)scale.GpuNorm;
        }

        if (pod.IsSharing)
        {
            return card >= 0 ? (node.CardFree[card] - pod.GpuMilli) / 1000f : 0f;
        }

        return (node.FullyFreeCards - pod.GpuCount) / MaxCards;
    }

    // FGD's integer score and share card come from FgdScorer itself (the one implementation, with
    // its per-node cache); only F after that placement is evaluated here, for the pair features.
    private static (int Score, int Card, double After) Fgd(PodFeatures features, NodeState node, FragmentationModel model, double before)
    {
        var pod = features.Pod;
        var score = FgdScorer.ScoreNode(features.FgdState, node, out var card);
        var free = node.CardFree;
        Span<int> hypo = free.Length <= 64 ? stackalloc int[free.Length] : new int[free.Length];
        free.CopyTo(hypo);

        if (pod.IsSharing)
        {
            if (card < 0)
            {
                return (score, -1, before);
            }

            hypo[card] -= pod.GpuMilli;
        }
        else if (pod.NeedsGpu)
        {
            Span<int> chosen = stackalloc int[Math.Min(pod.GpuCount, 64)];
            if (pod.GpuCount > 64 || CardSelection.DistinctByLeastFree(free, pod.GpuMilli, pod.GpuCount, chosen) < 0)
            {
                return (score, -1, before);
            }

            foreach (var c in chosen)
            {
                hypo[c] -= pod.GpuMilli;
            }
        }

        return (score, card, model.Evaluate(hypo, node.CpuFreeMilli - pod.CpuMilli, node.Inventory.GpuModel));
    }
}
