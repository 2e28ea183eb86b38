using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Timeline;

/// <summary>
/// Pods waiting for capacity, grouped by shape (CPU, memory, cards, milli per card, models) and
/// ordered by the queue order within and across shapes. Pods of one shape fit exactly the same
/// nodes, so a retry pass only needs to look at each shape's first pod.
/// </summary>
internal sealed class WaitingQueue
{
    private readonly QueueOrder _order;
    private readonly Dictionary<Shape, SortedSet<Entry>> _byShape = [];
    private long _sequence;

    public WaitingQueue(QueueOrder order) => _order = order;

    public int Count { get; private set; }

    public void Add(WorkloadPod pod)
    {
        var shape = Shape.Of(pod.Pod);
        if (!_byShape.TryGetValue(shape, out var set))
        {
            _byShape[shape] = set = new SortedSet<Entry>(Entry.Comparer);
        }

        set.Add(new Entry(pod, _order == QueueOrder.Priority ? -pod.Pod.Priority : 0, _sequence++));
        Count++;
    }

    /// <summary>
    /// One retry pass: pods in queue order, each shape retried while its first pod may fit
    /// (<paramref name="mayFit"/>) and is placed (<paramref name="tryPlace"/>); a shape that fails
    /// once is done for the pass, since placements only fill the cluster.
    /// </summary>
    public void Retry(Func<PodDemand, bool> mayFit, Func<WorkloadPod, bool> tryPlace)
    {
        if (Count == 0)
        {
            return;
        }

        var heads = new PriorityQueue<SortedSet<Entry>, Entry>(Entry.Comparer);
        foreach (var set in _byShape.Values)
        {
            if (set.Count > 0 && mayFit(set.Min!.Pod.Pod))
            {
                heads.Enqueue(set, set.Min!);
            }
        }

        while (heads.TryDequeue(out var set, out var head))
        {
            if (!mayFit(head.Pod.Pod) || !tryPlace(head.Pod))
            {
                continue;
            }

            set.Remove(head);
            Count--;
            if (set.Count > 0)
            {
                heads.Enqueue(set, set.Min!);
            }
        }
    }

    private readonly record struct Shape(long Cpu, long Memory, int Cards, int Milli, string Models)
    {
        public static Shape Of(PodDemand p) => new(p.CpuMilli, p.MemoryBytes, p.GpuCount, p.GpuMilli, p.GpuModels.IsDefaultOrEmpty ? string.Empty : string.Join('|', p.GpuModels));
    }

    private sealed record Entry(WorkloadPod Pod, int Rank, long Sequence)
    {
        public static readonly IComparer<Entry> Comparer = Comparer<Entry>.Create(static (a, b) =>
        {
            var c = a.Rank.CompareTo(b.Rank);
            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        });
    }
}
