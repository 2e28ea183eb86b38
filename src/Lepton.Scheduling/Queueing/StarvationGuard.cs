namespace Lepton.Scheduling.Queueing;

/// <summary>
/// Keeps shortest-predicted-first from starving long jobs: a job that has waited longer than
/// <c>max(Bound, Multiple × its predicted duration)</c> is promoted ahead of every unpromoted job of its priority class;
/// promoted jobs go in the order they were promoted.
/// </summary>
/// <remarks>
/// Designed for the narrow spread of predicted keys: predictions from request features crowd into a few values (a class
/// median predicts one value per request shape), so an aging rule that subtracts waited time from the key (tuned for
/// true durations, which spread over six orders of magnitude) reorders nearly every pair within minutes and throws the
/// gain away. A promotion deadline proportional to the job's own prediction keeps short jobs ahead of long ones for as
/// long as the long job's wait is small beside its own run time, and the absolute bound keeps short jobs from being
/// promoted at once.
/// </remarks>
/// <param name="Bound">The least wait before any promotion.</param>
/// <param name="Multiple">How many of its predicted durations a job waits at most (beyond the bound) before promotion.</param>
public sealed record StarvationGuard(TimeSpan Bound, double Multiple)
{
    /// <summary>
    /// The default: a week, or eight times the job's prediction when that is longer. Measured on a loaded openb sample
    /// (64 GPUs, load 1.2, class-median predictions): waits there run to days, and every guard that fired within a day gave
    /// back most of shortest-predicted-first's gain over FIFO (docs/SIMULATOR.md section 6).
    /// </summary>
    public static StarvationGuard Default { get; } = new(TimeSpan.FromDays(7), 8);

    /// <summary>When a job submitted at <paramref name="submittedAt"/> with key <paramref name="order"/> is promoted.</summary>
    /// <param name="submittedAt">The submission time.</param>
    /// <param name="order">The job's predicted duration in seconds; not finite or negative means unknown (the bound alone applies).</param>
    /// <returns>The promotion time.</returns>
    public DateTimeOffset PromoteAt(DateTimeOffset submittedAt, double order)
    {
        var seconds = Bound.TotalSeconds;
        if (double.IsFinite(order) && order > 0)
        {
            // Clamped so that the sum stays a representable time.
            seconds = Math.Max(seconds, Math.Min(Multiple * order, 100 * 365 * 86_400.0));
        }

        return submittedAt + TimeSpan.FromSeconds(seconds);
    }
}
