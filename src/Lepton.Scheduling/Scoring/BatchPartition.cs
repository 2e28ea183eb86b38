namespace Lepton.Scheduling.Scoring;

/// <summary>
/// How a large batch of candidate nodes is cut into contiguous parts for several cores: the one
/// rule the extender's fit and score and the learned scorer's feature rows follow. Below
/// <see cref="MinParallelNodes"/> a batch is one part (handing work to other threads costs more
/// than it saves); above it, parts of at least <see cref="MinPartNodes"/> nodes, at most two per
/// core. Every part is a contiguous range, so work done per part and put together in order is
/// exactly what one sequential pass gives.
/// </summary>
public static class BatchPartition
{
    /// <summary>Batches at least this long are split over several cores.</summary>
    public const int MinParallelNodes = 2000;

    /// <summary>
    /// Fit-only passes (filter's) at least this long are split over several cores. A fit check is a few comparisons on
    /// the node's state (about 15 ns a node: 5,000 nodes in well under 0.1 ms on one core), so below this handing
    /// parts to pool threads costs more in wake-ups than it saves, and much more when the cores are busy.
    /// </summary>
    public const int MinParallelFitNodes = 16_384;

    /// <summary>The smallest part handed to one core.</summary>
    public const int MinPartNodes = 500;

    /// <summary>How many parts a batch of <paramref name="n"/> candidates is processed in.</summary>
    /// <param name="n">The candidate count.</param>
    /// <param name="cores">The logical processors.</param>
    /// <returns>The number of parts, at least 1.</returns>
    public static int PartCount(int n, int cores)
    {
        if (n < MinParallelNodes || cores < 2)
        {
            return 1;
        }

        return Math.Clamp(n / MinPartNodes, 1, 2 * cores);
    }

    /// <summary>How many parts a fit-only pass over <paramref name="n"/> candidates is processed in (<see cref="MinParallelFitNodes"/>).</summary>
    /// <param name="n">The candidate count.</param>
    /// <param name="cores">The logical processors.</param>
    /// <returns>The number of parts, at least 1.</returns>
    public static int FitPartCount(int n, int cores) => n < MinParallelFitNodes ? 1 : PartCount(n, cores);

    /// <summary>The first index of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="n"/> items (part <paramref name="parts"/> gives <paramref name="n"/>).</summary>
    /// <param name="n">The item count.</param>
    /// <param name="parts">The number of parts.</param>
    /// <param name="part">The part, 0..<paramref name="parts"/>.</param>
    /// <returns>The start index; part <c>c</c> covers <c>[Start(c), Start(c + 1))</c>.</returns>
    public static int Start(int n, int parts, int part) => (int)((long)n * part / parts);
}
