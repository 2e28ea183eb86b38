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

    /// <summary>The first index of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="n"/> items (part <paramref name="parts"/> gives <paramref name="n"/>).</summary>
    /// <param name="n">The item count.</param>
    /// <param name="parts">The number of parts.</param>
    /// <param name="part">The part, 0..<paramref name="parts"/>.</param>
    /// <returns>The start index; part <c>c</c> covers <c>[Start(c), Start(c + 1))</c>.</returns>
    public static int Start(int n, int parts, int part) => (int)((long)n * part / parts);
}
