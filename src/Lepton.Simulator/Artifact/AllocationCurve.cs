namespace Lepton.Simulator.Artifact;

/// <summary>
/// The artifact's bucketed allocation curve (<c>merge_alloc_discrete.py</c>, METHOD.md section 5):
/// every scheduling attempt logs arrived and allocated milli-GPU; arrive% = round(arrived / GPUs / 10)
/// as an integer, alloc% = round(allocated / GPUs / 10, 2); the value at x is the mean alloc% of
/// the events whose arrive% is x, rounded to 2 decimals, or of those in [x − 1, x + 1] when the
/// bucket is empty.
/// </summary>
public sealed class AllocationCurve
{
    private readonly double _gpus;
    private double[] _sum = new double[160];
    private int[] _count = new int[160];
    private int _maxBucket = -1;

    /// <summary>Creates an empty curve.</summary>
    /// <param name="gpuCapacityMilli">Total GPU capacity, milli-GPU.</param>
    public AllocationCurve(long gpuCapacityMilli)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gpuCapacityMilli);
        _gpus = gpuCapacityMilli / 1000.0;
    }

    /// <summary>The highest arrive% seen.</summary>
    public int MaxLevel => _maxBucket;

    /// <summary>Events recorded.</summary>
    public int Events { get; private set; }

    /// <summary>Records one event (one scheduling attempt, placed or not).</summary>
    /// <param name="arrivedMilli">GPU demand arrived so far, failed pods included.</param>
    /// <param name="allocatedMilli">GPU allocated now.</param>
    public void Record(long arrivedMilli, long allocatedMilli)
    {
        var bucket = (int)Math.Round(arrivedMilli / _gpus / 10, MidpointRounding.ToEven);
        var alloc = Math.Round(allocatedMilli / _gpus / 10, 2, MidpointRounding.ToEven);
        if (bucket < 0)
        {
            bucket = 0;
        }

        if (bucket >= _sum.Length)
        {
            var size = Math.Max(bucket + 1, _sum.Length * 2);
            Array.Resize(ref _sum, size);
            Array.Resize(ref _count, size);
        }

        _sum[bucket] += alloc;
        _count[bucket]++;
        _maxBucket = Math.Max(_maxBucket, bucket);
        Events++;
    }

    /// <summary>The allocation % at arrive% <paramref name="level"/>, or null when no event falls in or next to the bucket.</summary>
    /// <param name="level">The arrived workload in percent of GPU capacity.</param>
    /// <returns>The bucket value.</returns>
    public double? At(int level)
    {
        if (level < 0 || level > _maxBucket + 1)
        {
            return null;
        }

        if (level <= _maxBucket && _count[level] > 0)
        {
            return Math.Round(_sum[level] / _count[level], 2, MidpointRounding.ToEven);
        }

        double sum = 0;
        var count = 0;
        for (var x = Math.Max(0, level - 1); x <= Math.Min(_maxBucket, level + 1); x++)
        {
            sum += _sum[x];
            count += _count[x];
        }

        return count == 0 ? null : Math.Round(sum / count, 2, MidpointRounding.ToEven);
    }

    /// <summary>The curve at every level 0..<see cref="MaxLevel"/>.</summary>
    /// <returns>One value per level (null where none).</returns>
    public double?[] ToArray()
    {
        var result = new double?[Math.Max(0, _maxBucket + 1)];
        for (var x = 0; x < result.Length; x++)
        {
            result[x] = At(x);
        }

        return result;
    }
}
