namespace Lepton.Scheduling.Queueing;

/// <summary>
/// Tiresias-style discretised least-attained-service queues: a job's level is how many thresholds its attained GPU
/// service (GPU-seconds received so far, over all its runs) has crossed. Level 0 goes first; within a level, jobs go in
/// submission order. No duration knowledge is used.
/// </summary>
public sealed class AttainedServiceLevels
{
    /// <summary>Creates the levels.</summary>
    /// <param name="thresholdsGpuSeconds">Strictly increasing positive thresholds, GPU-seconds.</param>
    /// <exception cref="ArgumentException">The thresholds are empty, not positive or not increasing.</exception>
    public AttainedServiceLevels(IReadOnlyList<double> thresholdsGpuSeconds)
    {
        ArgumentNullException.ThrowIfNull(thresholdsGpuSeconds);
        if (thresholdsGpuSeconds.Count == 0)
        {
            throw new ArgumentException("at least one threshold is needed", nameof(thresholdsGpuSeconds));
        }

        for (var i = 0; i < thresholdsGpuSeconds.Count; i++)
        {
            var t = thresholdsGpuSeconds[i];
            if (!double.IsFinite(t) || t <= 0 || (i > 0 && t <= thresholdsGpuSeconds[i - 1]))
            {
                throw new ArgumentException("thresholds must be finite, positive and strictly increasing", nameof(thresholdsGpuSeconds));
            }
        }

        Thresholds = [.. thresholdsGpuSeconds];
    }

    /// <summary>The default: 1, 8 and 64 GPU-hours (four queues).</summary>
    public static AttainedServiceLevels Default { get; } = new([3_600, 8 * 3_600, 64 * 3_600]);

    /// <summary>The thresholds, GPU-seconds.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>The level of a job that has received <paramref name="attainedGpuSeconds"/>.</summary>
    /// <param name="attainedGpuSeconds">GPU-seconds received.</param>
    /// <returns>0 (least served) to the number of thresholds.</returns>
    public int LevelOf(double attainedGpuSeconds)
    {
        var level = 0;
        while (level < Thresholds.Count && attainedGpuSeconds >= Thresholds[level])
        {
            level++;
        }

        return level;
    }

    /// <summary>The GPU-seconds at which a job at <paramref name="level"/> moves to the next level, or null at the last.</summary>
    /// <param name="level">The level.</param>
    /// <returns>The threshold, or null.</returns>
    public double? NextThreshold(int level) => level >= 0 && level < Thresholds.Count ? Thresholds[level] : null;
}
