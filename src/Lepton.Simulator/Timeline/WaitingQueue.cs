using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Queueing;

namespace Lepton.Simulator.Timeline;

/// <summary>
/// Pods waiting for capacity (by index into the run's arrivals), one core <see cref="PendingQueue{T}"/> per shape (CPU,
/// memory, cards, milli per card, models), so a retry pass only looks at each shape's first pod: pods of one shape fit
/// exactly the same nodes. Heads are merged by <see cref="QueueRank"/>, the core's order.
/// </summary>
internal sealed class WaitingQueue
{
    private readonly Dictionary<Shape, PendingQueue<int>> _byShape = [];
    private readonly StarvationGuard? _guard;
    private readonly bool _priorityFirst;

    public WaitingQueue(StarvationGuard? guard, bool priorityFirst)
    {
        _guard = guard;
        _priorityFirst = priorityFirst;
    }

    public int Count { get; private set; }

    public long PromotedTotal => _byShape.Values.Sum(q => q.PromotedTotal);

    public void Add(int index, PodDemand pod, QueueKey key)
    {
        var shape = Shape.Of(pod);
        if (!_byShape.TryGetValue(shape, out var queue))
        {
            _byShape[shape] = queue = new PendingQueue<int>(_guard, _priorityFirst);
        }

        queue.Add(index, key);
        Count++;
    }

    public bool Remove(int index, PodDemand pod)
    {
        if (_byShape.TryGetValue(Shape.Of(pod), out var queue) && queue.Remove(index))
        {
            Count--;
            return true;
        }

        return false;
    }

    /// <summary>Each shape's first pod at <paramref name="now"/>, in queue order.</summary>
    public List<int> Heads(DateTimeOffset now)
    {
        var heads = new List<(int Index, QueueRank Rank)>();
        foreach (var queue in _byShape.Values)
        {
            queue.Promote(now);
            if (queue.TryPeek(out var i, out var rank))
            {
                heads.Add((i, rank));
            }
        }

        heads.Sort(static (a, b) => a.Rank.CompareTo(b.Rank));
        return [.. heads.Select(h => h.Index)];
    }

    /// <summary>
    /// One retry pass at <paramref name="now"/>: pods in queue order, each shape retried while its first pod may fit
    /// (<paramref name="mayFit"/>) and is placed (<paramref name="tryPlace"/>); a shape that fails once is done for the
    /// pass, since placements only fill the cluster.
    /// </summary>
    public void Retry(DateTimeOffset now, Func<int, bool> mayFit, Func<int, bool> tryPlace)
    {
        if (Count == 0)
        {
            return;
        }

        var heads = new PriorityQueue<PendingQueue<int>, QueueRank>();
        foreach (var queue in _byShape.Values)
        {
            queue.Promote(now);
            if (queue.TryPeek(out var i, out var rank) && mayFit(i))
            {
                heads.Enqueue(queue, rank);
            }
        }

        while (heads.TryDequeue(out var queue, out _))
        {
            queue.TryPeek(out var head, out _);
            if (!mayFit(head) || !tryPlace(head))
            {
                continue;
            }

            queue.Remove(head);
            Count--;
            if (queue.TryPeek(out _, out var next))
            {
                heads.Enqueue(queue, next);
            }
        }
    }

    private readonly record struct Shape(long Cpu, long Memory, int Cards, int Milli, string Models)
    {
        public static Shape Of(PodDemand p) => new(p.CpuMilli, p.MemoryBytes, p.GpuCount, p.GpuMilli, p.GpuModels.IsDefaultOrEmpty ? string.Empty : string.Join('|', p.GpuModels));
    }
}
