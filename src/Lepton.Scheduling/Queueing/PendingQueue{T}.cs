namespace Lepton.Scheduling.Queueing;

/// <summary>
/// Jobs waiting for admission, in the one order the timeline simulator and the operator share (DECISIONS 22): higher
/// priority first (kube-scheduler's queue sort), then jobs the <see cref="StarvationGuard"/> has promoted (in promotion
/// order), then the order key (shortest predicted first, or a least-attained-service level), then submission time.
/// Pure: time enters only through <see cref="Promote"/>'s argument. Not thread-safe: one owner adds, removes and reads.
/// </summary>
/// <typeparam name="T">The job (a pod, a LeptonJob key); compared with the queue's equality comparer.</typeparam>
/// <example>
/// <code>
/// var queue = new PendingQueue&lt;string&gt;(StarvationGuard.Default);
/// queue.Add("long", new QueueKey(0, submitted, Order: 7200));
/// queue.Add("short", new QueueKey(0, submitted, Order: 60));
/// queue.Promote(now);                 // jobs past their guard deadline go first
/// queue.TryPeek(out var first, out _); // "short", unless "long" has waited past max(1 h, 4 × 7200 s)
/// </code>
/// </example>
public sealed class PendingQueue<T>
    where T : notnull
{
    private readonly SortedSet<Entry> _order = new(EntryComparer.Instance);
    private readonly Dictionary<T, Entry> _entries;
    private readonly PriorityQueue<Entry, long> _deadlines = new();
    private long _insertions;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="guard">The starvation guard, or null for none.</param>
    /// <param name="priorityFirst">Whether higher priority always goes first (true: kube-scheduler's queue).</param>
    /// <param name="comparer">How jobs are told apart; the default comparer when null.</param>
    public PendingQueue(StarvationGuard? guard = null, bool priorityFirst = true, IEqualityComparer<T>? comparer = null)
    {
        Guard = guard;
        PriorityFirst = priorityFirst;
        _entries = new Dictionary<T, Entry>(comparer);
    }

    /// <summary>The starvation guard, or null.</summary>
    public StarvationGuard? Guard { get; }

    /// <summary>Whether higher priority always goes first.</summary>
    public bool PriorityFirst { get; }

    /// <summary>How many jobs wait.</summary>
    public int Count => _order.Count;

    /// <summary>How many jobs the guard has promoted since the queue was created (counting each job once).</summary>
    public long PromotedTotal { get; private set; }

    /// <summary>Adds a job.</summary>
    /// <param name="item">The job.</param>
    /// <param name="key">What it is ordered by.</param>
    /// <exception cref="ArgumentException">The job is already queued, or the key's order is NaN.</exception>
    public void Add(T item, QueueKey key)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (double.IsNaN(key.Order))
        {
            throw new ArgumentException("the order key is NaN", nameof(key));
        }

        if (_entries.ContainsKey(item))
        {
            throw new ArgumentException($"'{item}' is already queued", nameof(item));
        }

        var deadline = Guard is { } g ? g.PromoteAt(key.SubmittedAt, key.Order).UtcTicks : long.MaxValue;
        var rank = new QueueRank(PriorityFirst ? key.Priority : 0, false, deadline, key.Order, key.SubmittedAt.UtcTicks, key.Tiebreak, _insertions++);
        var entry = new Entry(item, rank);
        _entries.Add(item, entry);
        _order.Add(entry);
        if (Guard is not null)
        {
            _deadlines.Enqueue(entry, deadline);
        }
    }

    /// <summary>Removes a job (admitted, deleted).</summary>
    /// <param name="item">The job.</param>
    /// <returns>False when it was not queued.</returns>
    public bool Remove(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_entries.Remove(item, out var entry))
        {
            return false;
        }

        _order.Remove(entry);
        return true;
    }

    /// <summary>Whether the job is queued.</summary>
    /// <param name="item">The job.</param>
    /// <returns>True when queued.</returns>
    public bool Contains(T item) => _entries.ContainsKey(item);

    /// <summary>Promotes every job whose guard deadline is at or before <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>How many jobs were promoted by this call.</returns>
    public int Promote(DateTimeOffset now)
    {
        var promoted = 0;
        var ticks = now.UtcTicks;
        while (_deadlines.TryPeek(out var entry, out var deadline) && deadline <= ticks)
        {
            _deadlines.Dequeue();
            if (!_entries.TryGetValue(entry.Item, out var current) || !ReferenceEquals(current, entry))
            {
                continue; // removed (or removed and added again: its new entry has its own deadline)
            }

            _order.Remove(entry);
            var moved = entry with { Rank = entry.Rank with { Promoted = true } };
            _entries[entry.Item] = moved;
            _order.Add(moved);
            promoted++;
        }

        PromotedTotal += promoted;
        return promoted;
    }

    /// <summary>The first job, without removing it.</summary>
    /// <param name="item">The job.</param>
    /// <param name="rank">Its rank.</param>
    /// <returns>False when the queue is empty.</returns>
    public bool TryPeek(out T item, out QueueRank rank)
    {
        if (_order.Count == 0)
        {
            item = default!;
            rank = default;
            return false;
        }

        var first = _order.Min!;
        item = first.Item;
        rank = first.Rank;
        return true;
    }

    /// <summary>The rank of a queued job.</summary>
    /// <param name="item">The job.</param>
    /// <param name="rank">Its rank.</param>
    /// <returns>False when it is not queued.</returns>
    public bool TryGetRank(T item, out QueueRank rank)
    {
        if (_entries.TryGetValue(item, out var entry))
        {
            rank = entry.Rank;
            return true;
        }

        rank = default;
        return false;
    }

    /// <summary>The jobs in order, first first (as of the last <see cref="Promote"/>).</summary>
    /// <returns>The jobs.</returns>
    public IEnumerable<T> InOrder()
    {
        foreach (var e in _order)
        {
            yield return e.Item;
        }
    }

    private sealed record Entry(T Item, QueueRank Rank);

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry? x, Entry? y) => x!.Rank.CompareTo(y!.Rank);
    }
}
