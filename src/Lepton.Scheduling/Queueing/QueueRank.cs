namespace Lepton.Scheduling.Queueing;

/// <summary>
/// A waiting job's place in a <see cref="PendingQueue{T}"/> at one moment, comparable across queues with the same
/// settings (so a caller that keeps one queue per request shape can merge their heads). Smaller goes first:
/// higher priority (when the queue puts priority first), then promoted before unpromoted (promoted ones by promotion
/// time), then the order key, then submission time, then the caller's tie-break.
/// </summary>
/// <param name="Priority">The priority compared (0 for every job when the queue ignores priority).</param>
/// <param name="Promoted">Whether the starvation guard has promoted the job.</param>
/// <param name="PromotedAt">When it was (or will be) promoted, UTC ticks; <see cref="long.MaxValue"/> without a guard.</param>
/// <param name="Order">The order key.</param>
/// <param name="SubmittedAt">The submission time, UTC ticks.</param>
/// <param name="Tiebreak">The caller's tie-break.</param>
/// <param name="Insertion">The queue's insertion counter, so that no two ranks of one queue are equal.</param>
public readonly record struct QueueRank(int Priority, bool Promoted, long PromotedAt, double Order, long SubmittedAt, long Tiebreak, long Insertion)
    : IComparable<QueueRank>
{
    /// <inheritdoc />
    public int CompareTo(QueueRank other)
    {
        var c = other.Priority.CompareTo(Priority);
        if (c != 0)
        {
            return c;
        }

        if (Promoted != other.Promoted)
        {
            return Promoted ? -1 : 1;
        }

        c = Promoted ? PromotedAt.CompareTo(other.PromotedAt) : Order.CompareTo(other.Order);
        if (c != 0)
        {
            return c;
        }

        c = SubmittedAt.CompareTo(other.SubmittedAt);
        if (c != 0)
        {
            return c;
        }

        c = Tiebreak.CompareTo(other.Tiebreak);
        return c != 0 ? c : Insertion.CompareTo(other.Insertion);
    }

    /// <summary>Whether <paramref name="left"/> goes before <paramref name="right"/>.</summary>
    /// <param name="left">One rank.</param>
    /// <param name="right">The other.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(QueueRank left, QueueRank right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> goes after <paramref name="right"/>.</summary>
    /// <param name="left">One rank.</param>
    /// <param name="right">The other.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(QueueRank left, QueueRank right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> goes before or with <paramref name="right"/>.</summary>
    /// <param name="left">One rank.</param>
    /// <param name="right">The other.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(QueueRank left, QueueRank right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> goes after or with <paramref name="right"/>.</summary>
    /// <param name="left">One rank.</param>
    /// <param name="right">The other.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(QueueRank left, QueueRank right) => left.CompareTo(right) >= 0;
}
