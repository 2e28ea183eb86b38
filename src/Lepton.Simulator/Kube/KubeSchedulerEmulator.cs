using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;

namespace Lepton.Simulator.Kube;

/// <summary>
/// One kube-scheduler profile with a scheduler extender, reduced to what decides GPU placement:
/// <list type="number">
/// <item>filter: <c>NodeUnschedulable</c>, <c>NodeName</c>, <c>TaintToleration</c>, <c>NodeAffinity</c> (the core's
/// <see cref="NodePredicates"/>, DECISIONS.md 20) and <c>NodeResourcesFit</c> (CPU, memory, pod slots,
/// extended resources such as whole <c>nvidia.com/gpu</c> devices) over the nodes in list order,
/// starting at a rotating index and stopping once <see cref="NumFeasibleNodesToFind"/> nodes
/// fit (<c>percentageOfNodesToScore</c>);</item>
/// <item>the extender's filter over those nodes;</item>
/// <item>a single remaining node is chosen without scoring; otherwise each node scores
/// Σ plugin score × plugin weight (<c>NodeResourcesFit</c> with its strategy over CPU and memory
/// with non-zero defaults, <c>NodeResourcesBalancedAllocation</c> = (1 − std of the requested
/// fractions)·100) plus the extender's 0..10 × weight × 10;</item>
/// <item>the highest total wins, ties drawn uniformly (kube-scheduler's <c>selectHost</c>);</item>
/// <item>the extender binds, and the scheduler's cache accounts the pod.</item>
/// </list>
/// Score plugins that score every node alike in a GPU cluster without preferred affinities, soft taints or
/// images (TaintToleration, NodeAffinity, PodTopologySpread, InterPodAffinity, ImageLocality) are left
/// out: they cannot change a choice. Not emulated as filters (docs/OPERATOR.md names them): inter-pod
/// affinity, topology spread, PVC node affinity, host ports.
/// </summary>
public sealed class KubeSchedulerEmulator
{
    /// <summary>kube-scheduler's CPU request assumed for scoring a container that requests none (100m).</summary>
    public const long DefaultMilliCpuRequest = 100;

    /// <summary>kube-scheduler's memory request assumed for scoring a container that requests none (200 MB).</summary>
    public const long DefaultMemoryRequest = 200L * 1024 * 1024;

    private const long MaxNodeScore = 100;

    private readonly KubeNodeInfo[] _nodes;
    private readonly NodeNameIndex _index;
    private readonly IExtenderBackend _extender;
    private readonly KubeSchedulerOptions _options;
    private readonly Random _random;
    private readonly List<string> _feasibleNames = [];
    private readonly List<int> _feasible = [];
    private long[] _totals;
    private int _nextStartNodeIndex;

    /// <summary>Creates the scheduler over a node list (in the order kube-scheduler's snapshot lists them).</summary>
    /// <param name="nodes">The nodes.</param>
    /// <param name="extender">The extender.</param>
    /// <param name="options">The configuration; defaults when null.</param>
    /// <param name="random">The source of tie-break draws.</param>
    public KubeSchedulerEmulator(IEnumerable<NodeInventory> nodes, IExtenderBackend extender, KubeSchedulerOptions? options, Random random)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(extender);
        ArgumentNullException.ThrowIfNull(random);
        _nodes = [.. nodes.Select(n => new KubeNodeInfo(n))];
        _index = new NodeNameIndex([.. _nodes.Select(n => n.Name)]);
        if (_index.Count != _nodes.Length)
        {
            throw new ArgumentException("Node names must be unique.", nameof(nodes));
        }

        _extender = extender;
        _options = options ?? new KubeSchedulerOptions();
        _random = random;
        _totals = new long[_nodes.Length];
    }

    /// <summary>The configuration.</summary>
    public KubeSchedulerOptions Options => _options;

    /// <summary>The number of nodes.</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>
    /// kube-scheduler's <c>numFeasibleNodesToFind</c>: all nodes below 100 nodes or at 100%;
    /// otherwise percentage% of them (0 = adaptive: max(5, 50 − nodes/125)), at least 100.
    /// </summary>
    /// <param name="percentage">percentageOfNodesToScore (0 = adaptive).</param>
    /// <param name="nodes">All nodes.</param>
    /// <returns>How many feasible nodes a cycle looks for.</returns>
    public static int NumFeasibleNodesToFind(int percentage, int nodes)
    {
        const int minFeasibleNodesToFind = 100;
        const int minFeasibleNodesPercentageToFind = 5;
        if (nodes < minFeasibleNodesToFind || percentage >= 100)
        {
            return nodes;
        }

        var adaptive = percentage;
        if (adaptive <= 0)
        {
            adaptive = 50 - (nodes / 125);
            if (adaptive < minFeasibleNodesPercentageToFind)
            {
                adaptive = minFeasibleNodesPercentageToFind;
            }
        }

        var n = (int)((long)nodes * adaptive / 100);
        return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
    }

    /// <summary>kube-scheduler's <c>leastRequestedScore</c>: (capacity − requested)·100 / capacity, 0 when over.</summary>
    /// <param name="requested">Requested, including the pod.</param>
    /// <param name="capacity">Allocatable.</param>
    /// <returns>0..100.</returns>
    public static long LeastRequestedScore(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * MaxNodeScore / capacity;

    /// <summary>kube-scheduler's <c>mostRequestedScore</c>: min(requested, capacity)·100 / capacity.</summary>
    /// <param name="requested">Requested, including the pod.</param>
    /// <param name="capacity">Allocatable.</param>
    /// <returns>0..100.</returns>
    public static long MostRequestedScore(long requested, long capacity) =>
        capacity == 0 ? 0 : Math.Min(requested, capacity) * MaxNodeScore / capacity;

    /// <summary>
    /// kube-scheduler's <c>balancedResourceScorer</c> over CPU and memory:
    /// (1 − |f_cpu − f_mem| / 2)·100 truncated, fractions capped at 1; a resource the node lacks is left out.
    /// </summary>
    /// <param name="requestedCpu">Requested CPU including the pod.</param>
    /// <param name="allocatableCpu">Allocatable CPU.</param>
    /// <param name="requestedMemory">Requested memory including the pod.</param>
    /// <param name="allocatableMemory">Allocatable memory.</param>
    /// <returns>0..100.</returns>
    public static long BalancedAllocationScore(long requestedCpu, long allocatableCpu, long requestedMemory, long allocatableMemory)
    {
        if (allocatableCpu == 0 || allocatableMemory == 0)
        {
            return MaxNodeScore;
        }

        var fc = Math.Min(1.0, (double)requestedCpu / allocatableCpu);
        var fm = Math.Min(1.0, (double)requestedMemory / allocatableMemory);
        var std = Math.Abs((fc - fm) / 2);
        return (long)((1 - std) * MaxNodeScore);
    }

    /// <summary>The CPU request kube-scheduler scores with (the default for a pod that requests none).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Milli-cores.</returns>
    public static long NonZeroCpu(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.CpuMilli == 0 ? DefaultMilliCpuRequest : pod.CpuMilli;
    }

    /// <summary>The memory request kube-scheduler scores with (the default for a pod that requests none).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Bytes.</returns>
    public static long NonZeroMemory(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.MemoryBytes == 0 ? DefaultMemoryRequest : pod.MemoryBytes;
    }

    /// <summary>Accounts a pod bound to a node in the scheduler's cache (a start-state pod, or an informer event).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node.</param>
    /// <returns>False when the node is unknown.</returns>
    public bool AddPod(PodDemand pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!_index.TryGet(nodeName, out var i))
        {
            return false;
        }

        _nodes[i].Apply(pod, +1);
        return true;
    }

    /// <summary>Removes a pod from the scheduler's cache (the pod was deleted).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node it was on.</param>
    /// <returns>False when the node is unknown.</returns>
    public bool RemovePod(PodDemand pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!_index.TryGet(nodeName, out var i))
        {
            return false;
        }

        _nodes[i].Apply(pod, -1);
        return true;
    }

    /// <summary>Runs one scheduling cycle for the pod: filter, extender filter, score, select, bind.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<KubeScheduleOutcome> ScheduleAsync(PodDemand pod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        FindFeasible(pod);
        var inTree = _feasible.Count;
        if (inTree == 0)
        {
            return new KubeScheduleOutcome(null, 0, 0, "0 nodes fit by kube-scheduler's filters");
        }

        var filtered = await _extender.FilterAsync(pod, _feasibleNames, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(filtered.Error))
        {
            return new KubeScheduleOutcome(null, inTree, 0, "extender filter error: " + filtered.Error);
        }

        if (filtered.NodeNames is not { Count: > 0 } passed)
        {
            return new KubeScheduleOutcome(null, inTree, 0, "0 nodes passed the extender's filter");
        }

        var names = passed as IReadOnlyList<string> ?? [.. passed];

        string host;
        if (names.Count == 1)
        {
            host = names[0];
        }
        else
        {
            host = await PrioritizeAsync(pod, names, cancellationToken).ConfigureAwait(false);
        }

        var bound = await _extender.BindAsync(pod, host, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(bound.Error))
        {
            return new KubeScheduleOutcome(null, inTree, names.Count, "extender bind error: " + bound.Error);
        }

        AddPod(pod, host);
        return new KubeScheduleOutcome(host, inTree, names.Count, null);
    }

    private void FindFeasible(PodDemand pod)
    {
        _feasible.Clear();
        _feasibleNames.Clear();
        var n = _nodes.Length;
        if (n == 0)
        {
            return;
        }

        var want = NumFeasibleNodesToFind(_options.PercentageOfNodesToScore, n);
        var processed = 0;
        var start = _nextStartNodeIndex;
        for (var k = 0; k < n; k++)
        {
            var i = (start + k) % n;
            processed++;
            if (Fits(pod, _nodes[i]))
            {
                _feasible.Add(i);
                _feasibleNames.Add(_nodes[i].Name);
                if (_feasible.Count >= want)
                {
                    break;
                }
            }
        }

        _nextStartNodeIndex = (start + processed) % n;
    }

    private static bool Fits(PodDemand pod, KubeNodeInfo node)
    {
        var inv = node.Inventory;
        if (node.Pods + 1 > inv.MaxPods)
        {
            return false;
        }

        if ((inv.Unschedulable || !inv.Taints.IsDefaultOrEmpty || pod.Placement is not null)
            && NodePredicates.Check(pod, inv) != FitCode.Fits)
        {
            return false;
        }

        if (pod.CpuMilli > 0 && pod.CpuMilli > inv.CpuMilli - node.RequestedCpu)
        {
            return false;
        }

        if (pod.MemoryBytes > 0 && pod.MemoryBytes > inv.MemoryBytes - node.RequestedMemory)
        {
            return false;
        }

        if (!pod.Extended.IsDefaultOrEmpty)
        {
            foreach (var r in pod.Extended)
            {
                if (r.Quantity > 0 && r.Quantity > node.Allocatable.GetValueOrDefault(r.Name) - node.Requested.GetValueOrDefault(r.Name))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private async ValueTask<string> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (_totals.Length < names.Count)
        {
            _totals = new long[names.Count];
        }

        var totals = _totals;
        var idx = new int[names.Count];
        for (var j = 0; j < names.Count; j++)
        {
            idx[j] = _index.TryGet(names[j], out var i) ? i : -1;
            totals[j] = idx[j] < 0 ? 0 : PluginScore(pod, _nodes[idx[j]]);
        }

        var priorities = await _extender.PrioritizeAsync(pod, names, cancellationToken).ConfigureAwait(false);
        var factor = _options.ExtenderWeight * (MaxNodeScore / ScoreNormalization.MaxExtenderPriority);
        for (var j = 0; j < priorities.Count; j++)
        {
            var host = priorities.Hosts[j];
            var at = j < names.Count && string.Equals(names[j], host, StringComparison.Ordinal) ? j : IndexOf(names, host);
            if (at >= 0)
            {
                totals[at] += priorities.Scores[j] * factor;
            }
        }

        // selectHost: the maximum, ties drawn uniformly by reservoir sampling.
        var selected = 0;
        var max = totals[0];
        var ties = 1;
        for (var j = 1; j < names.Count; j++)
        {
            if (totals[j] > max)
            {
                max = totals[j];
                selected = j;
                ties = 1;
            }
            else if (totals[j] == max)
            {
                ties++;
                if (_random.Next(ties) == 0)
                {
                    selected = j;
                }
            }
        }

        return names[selected];
    }

    private long PluginScore(PodDemand pod, KubeNodeInfo node)
    {
        var inv = node.Inventory;
        long total = 0;
        if (_options.FitStrategy != NodeResourcesFitStrategy.Disabled && _options.FitWeight > 0)
        {
            var most = _options.FitStrategy == NodeResourcesFitStrategy.MostAllocated;
            long sum = 0, weights = 0;
            if (inv.CpuMilli > 0)
            {
                var req = node.NonZeroCpu + NonZeroCpu(pod);
                sum += most ? MostRequestedScore(req, inv.CpuMilli) : LeastRequestedScore(req, inv.CpuMilli);
                weights++;
            }

            if (inv.MemoryBytes > 0)
            {
                var req = node.NonZeroMemory + NonZeroMemory(pod);
                sum += most ? MostRequestedScore(req, inv.MemoryBytes) : LeastRequestedScore(req, inv.MemoryBytes);
                weights++;
            }

            total += (weights == 0 ? 0 : sum / weights) * _options.FitWeight;
        }

        if (_options.BalancedAllocationWeight > 0)
        {
            total += BalancedAllocationScore(node.RequestedCpu + pod.CpuMilli, inv.CpuMilli, node.RequestedMemory + pod.MemoryBytes, inv.MemoryBytes)
                * _options.BalancedAllocationWeight;
        }

        return total;
    }

    private static int IndexOf(IReadOnlyList<string> names, string host)
    {
        for (var j = 0; j < names.Count; j++)
        {
            if (string.Equals(names[j], host, StringComparison.Ordinal))
            {
                return j;
            }
        }

        return -1;
    }
}
