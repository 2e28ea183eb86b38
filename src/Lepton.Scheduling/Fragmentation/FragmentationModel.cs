using System.Collections.Concurrent;
using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Fragmentation;

/// <summary>
/// The GPU fragmentation measure of the FGD paper (Weng et al., ATC'23): the expected amount of
/// a node's idle GPU that a task drawn from the typical-task mix could not use.
/// </summary>
/// <remarks>
/// <para>For a node n and task t (milli m per card, k cards, cpu c), with idle(n) = Σ free_i:
/// a CPU-only task, a task whose models exclude the node's, or a task that does not fit by GPU
/// or CPU sees all of idle(n) as fragment; a task that fits sees the free milli of the cards
/// with less than m free. F(n) = Σ_t p_t · frag(n, t). Memory is never considered, exactly as
/// in the artifact (<c>pkg/utils/frag.go</c>; our <c>traces/openb/METHOD.md</c> section 2).</para>
/// <para>F depends only on (model, which CPU thresholds cpuLeft passes, the multiset of card
/// frees), so results are memoised on that key; a node state also caches its own F.</para>
/// </remarks>
public sealed class FragmentationModel
{
    private const int MaxMemoCards = 12;
    private const int MaxMemoEntries = 1 << 20;

    private readonly TypicalTask[] _tasks;
    private readonly long[] _taskCpu;
    private readonly int[] _taskMilliIndex;
    private readonly int[] _taskCount;
    private readonly double[] _taskP;
    private readonly bool[] _taskCpuOnly;
    private readonly int[] _distinctMilli;
    private readonly long[] _cpuThresholds;
    private readonly ConcurrentDictionary<string, AccessRow> _rows = new(StringComparer.Ordinal);
    private readonly AccessRow _nullModelRow;
    private readonly ConcurrentDictionary<FragKey, double> _memo = new();
    private RowEntry[] _rowCache = [];
    private int _nextRowId;

    private FragmentationModel(IEnumerable<TypicalTask> tasks)
    {
        _tasks = [.. tasks];
        _taskCpu = [.. _tasks.Select(t => t.CpuMilli)];
        _taskCount = [.. _tasks.Select(t => t.GpuCount)];
        _taskP = [.. _tasks.Select(t => t.Probability)];
        _taskCpuOnly = [.. _tasks.Select(t => t.GpuCount == 0 || t.GpuMilli == 0)];
        _distinctMilli = [.. _tasks.Where(t => t.GpuMilli > 0).Select(t => t.GpuMilli).Distinct().Order()];
        _taskMilliIndex = [.. _tasks.Select(t => Array.IndexOf(_distinctMilli, t.GpuMilli))];
        _cpuThresholds = [.. _tasks.Select(t => t.CpuMilli).Distinct().Order()];
        _nullModelRow = NewRow(null);
    }

    /// <summary>The typical tasks, most frequent first.</summary>
    public IReadOnlyList<TypicalTask> Tasks => _tasks;

    /// <summary>Pods in the classes kept, over pods observed (0..1).</summary>
    public double Coverage { get; private init; } = 1;

    /// <summary>A model with no tasks: every node's fragmentation is 0.</summary>
    public static FragmentationModel Empty { get; } = new([]);

    /// <summary>
    /// Builds the typical-task mix from observed pods as the artifact does: group by exact
    /// (CPU, milli per card, cards, models), sort by count (ties by the key, descending), keep
    /// classes until their pods reach <paramref name="coverage"/> of all pods (the boundary class
    /// included), and weight each kept class by its share of the kept pods.
    /// </summary>
    /// <param name="pods">The observed pods (trace pods, or a window of the cluster's recent pods).</param>
    /// <param name="coverage">The popularity threshold, 0.95 in the artifact.</param>
    /// <returns>The model.</returns>
    public static FragmentationModel FromPods(IEnumerable<PodDemand> pods, double coverage = 0.95)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coverage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(coverage, 1.0);
        var groups = new Dictionary<(long Cpu, int Milli, int Count, string Models), int>();
        var total = 0;
        foreach (var p in pods)
        {
            var milli = p.NeedsGpu ? p.GpuMilli : 0;
            var count = p.NeedsGpu ? p.GpuCount : 0;
            var key = (p.CpuMilli, milli, count, p.GpuModels.IsDefaultOrEmpty ? string.Empty : string.Join('|', p.GpuModels));
            groups[key] = groups.GetValueOrDefault(key) + 1;
            total++;
        }

        if (total == 0)
        {
            return Empty;
        }

        var ordered = groups
            .OrderByDescending(g => g.Value)
            .ThenByDescending(g => g.Key.Cpu)
            .ThenByDescending(g => g.Key.Milli)
            .ThenByDescending(g => g.Key.Count)
            .ThenByDescending(g => g.Key.Models, StringComparer.Ordinal)
            .ToList();
        var kept = new List<KeyValuePair<(long Cpu, int Milli, int Count, string Models), int>>();
        var cumulative = 0;
        foreach (var g in ordered)
        {
            kept.Add(g);
            cumulative += g.Value;
            if (cumulative >= coverage * total)
            {
                break;
            }
        }

        var tasks = kept.Select(g => new TypicalTask(
            g.Key.Cpu,
            g.Key.Milli,
            g.Key.Count,
            g.Key.Models.Length == 0 ? [] : [.. g.Key.Models.Split('|')],
            g.Value,
            (double)g.Value / cumulative));
        return new FragmentationModel(tasks) { Coverage = (double)cumulative / total };
    }

    /// <summary>Builds a model from explicit tasks, their probabilities taken as given (not renormalised).</summary>
    /// <param name="tasks">The tasks.</param>
    /// <returns>The model.</returns>
    public static FragmentationModel FromTasks(IEnumerable<TypicalTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var list = tasks.ToList();
        foreach (var t in list)
        {
            if (t.CpuMilli < 0 || t.GpuMilli is < 0 or > 1000 || t.GpuCount < 0 || !double.IsFinite(t.Probability) || t.Probability < 0)
            {
                throw new ArgumentException($"Typical task {t} is out of range.", nameof(tasks));
            }
        }

        return new FragmentationModel(list);
    }

    /// <summary>The expected fragmentation F(n) of a node state, in milli-GPU; cached on the state.</summary>
    /// <param name="node">The node state.</param>
    /// <returns>F(n).</returns>
    public double Of(NodeState node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.FragmentationCache is CachedValue cached && ReferenceEquals(cached.Model, this))
        {
            return cached.Value;
        }

        var value = Evaluate(node.CardFree, node.CpuFreeMilli, node.Inventory.GpuModel);
        node.FragmentationCache = new CachedValue(this, value);
        return value;
    }

    /// <summary>The expected fragmentation of a hypothetical node, in milli-GPU (memoised).</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="cpuFreeMilli">Unrequested CPU.</param>
    /// <param name="gpuModel">The node's normalised GPU model, or null.</param>
    /// <returns>F(n).</returns>
    public double Evaluate(ReadOnlySpan<int> cardFree, long cpuFreeMilli, string? gpuModel)
    {
        if (_tasks.Length == 0)
        {
            return 0;
        }

        var row = RowFor(gpuModel);
        var bucket = CpuBucket(cpuFreeMilli);
        if (cardFree.Length <= MaxMemoCards && row.Id < 1024 && bucket < 256)
        {
            Span<int> sorted = stackalloc int[cardFree.Length];
            cardFree.CopyTo(sorted);
            var packable = true;
            for (var i = 1; i < sorted.Length; i++)
            {
                var v = sorted[i];
                var j = i - 1;
                while (j >= 0 && sorted[j] > v)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }

                sorted[j + 1] = v;
            }

            UInt128 packed = 0;
            foreach (var v in sorted)
            {
                if (v is < 0 or > 1000)
                {
                    packable = false;
                    break;
                }

                packed = (packed << 10) | (uint)v;
            }

            if (packable)
            {
                var key = new FragKey((row.Id << 16) | (bucket << 4) | sorted.Length, packed);
                if (_memo.TryGetValue(key, out var memo))
                {
                    return memo;
                }

                var value = Compute(sorted, cpuFreeMilli, row.Access);
                if (_memo.Count >= MaxMemoEntries)
                {
                    _memo.Clear();
                }

                _memo.TryAdd(key, value);
                return value;
            }
        }

        return Compute(cardFree, cpuFreeMilli, row.Access);
    }

    /// <summary>
    /// F(n) computed directly, without the memo: Σ_t p_t · frag(n, t).
    /// </summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="cpuFreeMilli">Unrequested CPU.</param>
    /// <param name="gpuModel">The node's normalised GPU model, or null.</param>
    /// <returns>F(n).</returns>
    public double Compute(ReadOnlySpan<int> cardFree, long cpuFreeMilli, string? gpuModel)
    {
        return Compute(cardFree, cpuFreeMilli, RowFor(gpuModel).Access);
    }

    private double Compute(ReadOnlySpan<int> cardFree, long cpuFreeMilli, bool[] access)
    {
        var idle = 0;
        foreach (var f in cardFree)
        {
            idle += Math.Max(f, 0);
        }

        if (idle == 0)
        {
            return 0;
        }

        var milli = _distinctMilli;
        Span<int> fitting = stackalloc int[milli.Length];
        Span<int> below = stackalloc int[milli.Length];
        for (var m = 0; m < milli.Length; m++)
        {
            var need = milli[m];
            int n = 0, s = 0;
            foreach (var f in cardFree)
            {
                if (f >= need)
                {
                    n++;
                }
                else if (f > 0)
                {
                    s += f;
                }
            }

            fitting[m] = n;
            below[m] = s;
        }

        double total = 0;
        for (var t = 0; t < _tasks.Length; t++)
        {
            double frag = idle;
            if (!_taskCpuOnly[t] && access[t])
            {
                var mi = _taskMilliIndex[t];
                if (fitting[mi] >= _taskCount[t] && cpuFreeMilli >= _taskCpu[t])
                {
                    frag = below[mi];
                }
            }

            total += _taskP[t] * frag;
        }

        return total;
    }

    // The access row of a model without hashing the string on every evaluation: a short
    // copy-on-write list searched first (a lost append under a race only costs a lookup).
    private AccessRow RowFor(string? model)
    {
        if (model is null)
        {
            return _nullModelRow;
        }

        var cache = Volatile.Read(ref _rowCache);
        foreach (var e in cache)
        {
            if (string.Equals(e.Model, model, StringComparison.Ordinal))
            {
                return e.Row;
            }
        }

        var row = _rows.GetOrAdd(model, NewRow);
        if (cache.Length < 16)
        {
            Volatile.Write(ref _rowCache, [.. cache, new RowEntry(model, row)]);
        }

        return row;
    }

    private int CpuBucket(long cpuFree)
    {
        var idx = Array.BinarySearch(_cpuThresholds, cpuFree);
        return idx >= 0 ? idx + 1 : ~idx;
    }

    private AccessRow NewRow(string? model)
    {
        var access = new bool[_tasks.Length];
        for (var t = 0; t < _tasks.Length; t++)
        {
            var models = _tasks[t].GpuModels;
            access[t] = models.IsDefaultOrEmpty || (model is not null && models.Contains(model, StringComparer.Ordinal));
        }

        return new AccessRow(Interlocked.Increment(ref _nextRowId) - 1, access);
    }

    private sealed record AccessRow(int Id, bool[] Access);

    private sealed record RowEntry(string Model, AccessRow Row);

    private sealed record CachedValue(FragmentationModel Model, double Value);

    private readonly record struct FragKey(int Shape, UInt128 Cards);
}
