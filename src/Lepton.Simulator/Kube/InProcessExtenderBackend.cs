using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;

namespace Lepton.Simulator.Kube;

/// <summary>
/// Lepton's extender verbs over the scheduling core, in process: filter with
/// <see cref="FitChecker"/>, prioritize with the policy's <see cref="NodeScorer"/> mapped to
/// 0..10, bind by assuming the placement in the <see cref="ClusterState"/> with the policy's cards.
/// </summary>
public sealed class InProcessExtenderBackend : IExtenderBackend
{
    private readonly ClusterState _state;
    private readonly NodeScorer _scorer;
    private readonly ScoringContext _context;
    private NodeState[] _nodes = [];
    private int[] _scores = [];
    private long[] _mapped = [];
    private ulong[] _order = [];
    private PreScoreState? _lastPre;
    private NodeNameIndex? _names;
    private Summary[] _summary = [];

    /// <summary>Creates the backend.</summary>
    /// <param name="state">The cluster state the extender keeps.</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="context">The scoring context.</param>
    /// <param name="mapping">How 0..100 scores become 0..10.</param>
    public InProcessExtenderBackend(ClusterState state, NodeScorer scorer, ScoringContext context, ExtenderScoreMapping mapping = ExtenderScoreMapping.MinMaxRounded)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(context);
        _state = state;
        _scorer = scorer;
        _context = context;
        Mapping = mapping;
    }

    /// <summary>The 0..100 → 0..10 mapping.</summary>
    public ExtenderScoreMapping Mapping { get; }

    /// <summary>Whether the filter explains each failed node (slower; off for simulations).</summary>
    public bool ExplainFailures { get; init; }

    /// <inheritdoc />
    public ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodeNames);
        var passed = new List<string>(nodeNames.Count);
        Dictionary<string, string>? failed = ExplainFailures ? new(StringComparer.Ordinal) : null;
        var nodes = _state.Nodes;
        foreach (var name in nodeNames)
        {
            // Skip nodes that certainly fail without touching their state (see Summary).
            if (failed is null && Slot(name, nodes) is var slot && slot >= 0 && _summary[slot].CertainlyFails(pod))
            {
                continue;
            }

            if (Find(name) is not { } node)
            {
                failed?.TryAdd(name, "Unknown node: not in Lepton's node cache yet");
                continue;
            }

            if (FitChecker.Check(pod, node) == FitCode.Fits)
            {
                passed.Add(name);
            }
            else if (failed is not null)
            {
                failed[name] = FitChecker.Explain(pod, node).Message;
            }
        }

        return ValueTask.FromResult(new ExtenderFilterResult(passed, failed));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HostPriority>> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodeNames);
        if (_nodes.Length < nodeNames.Count)
        {
            _nodes = new NodeState[nodeNames.Count];
            _scores = new int[nodeNames.Count];
            _mapped = new long[nodeNames.Count];
            _order = new ulong[nodeNames.Count];
        }

        var n = 0;
        var known = new List<string>(nodeNames.Count);
        foreach (var name in nodeNames)
        {
            if (Find(name) is { } node)
            {
                if (Mapping == ExtenderScoreMapping.StableRank)
                {
                    _order[n] = ScoreNormalization.NodeOrderKey(name);
                }

                _nodes[n++] = node;
                known.Add(name);
            }
        }

        var pre = _scorer.PreScore(pod, _context);
        _lastPre = pre;
        var result = new HostPriority[nodeNames.Count];
        if (n > 0)
        {
            _scorer.Score(pre, _nodes.AsSpan(0, n), _scores.AsSpan(0, n));
            ExtenderScores.Map(Mapping, _scores.AsSpan(0, n), _mapped.AsSpan(0, n), _order.AsSpan(0, n));
        }

        // Unknown nodes score 0; known ones keep their order.
        var k = 0;
        for (var j = 0; j < nodeNames.Count; j++)
        {
            var name = nodeNames[j];
            var score = k < known.Count && ReferenceEquals(known[k], name) ? _mapped[k++] : 0;
            result[j] = new HostPriority(name, score);
        }

        Array.Clear(_nodes, 0, n);
        return ValueTask.FromResult<IReadOnlyList<HostPriority>>(result);
    }

    // The node's current state: by position through the name index (rebuilt when the node table
    // changes), confirmed by name, else the cluster state's own lookup.
    private NodeState? Find(string name)
    {
        var nodes = _state.Nodes;
        var slot = Slot(name, nodes);
        if (slot >= 0)
        {
            return nodes[slot];
        }

        return _state.TryGetNode(name, out var node) ? node : null;
    }

    // The node's position in the cluster state's table, with its summary up to date; -1 when unknown.
    private int Slot(string name, ReadOnlySpan<NodeState> nodes)
    {
        var names = _names;
        if (names is null || _summary.Length != nodes.Length)
        {
            var list = new string[nodes.Length];
            _summary = new Summary[nodes.Length];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = nodes[i].Name;
                _summary[i] = Summary.Of(nodes[i]);
            }

            _names = names = new NodeNameIndex(list);
        }

        if (!names.TryGet(name, out var slot) || slot >= nodes.Length)
        {
            return -1;
        }

        ref var summary = ref _summary[slot];
        var current = nodes[slot];
        if (!ReferenceEquals(summary.State, current))
        {
            summary = Summary.Of(current);
        }

        return ReferenceEquals(summary.Name, name) || string.Equals(summary.Name, name, StringComparison.Ordinal) ? slot : -1;
    }

    /// <inheritdoc />
    public ValueTask<ExtenderBindResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var pre = _lastPre is { } last && ReferenceEquals(last.Pod, pod) ? last : _scorer.PreScore(pod, _context);
        _lastPre = null;
        var outcome = _state.Assume(pod, nodeName, (node, cards) => _scorer.SelectCards(pre, node, cards));
        return ValueTask.FromResult(outcome.Succeeded ? ExtenderBindResult.Success : new ExtenderBindResult(outcome.Error));
    }

    /// <summary>
    /// A node state's free resources, kept per table position and refreshed when the position
    /// holds a new state: a node that certainly fails (too little CPU, memory, pod slots, whole
    /// cards or share on one card) is rejected without touching its state; every other node is
    /// decided by <see cref="FitChecker.Check"/>.
    /// </summary>
    private readonly record struct Summary(NodeState State, string Name, long CpuFree, long MemoryFree, int PodSlots, int FullyFree, int MaxCardFree)
    {
        public static Summary Of(NodeState node)
        {
            var max = 0;
            foreach (var f in node.CardFree)
            {
                max = Math.Max(max, f);
            }

            return new Summary(node, node.Name, node.CpuFreeMilli, node.MemoryFreeBytes, node.Inventory.MaxPods - node.PodCount, node.FullyFreeCards, max);
        }

        public bool CertainlyFails(PodDemand pod) =>
            CpuFree < pod.CpuMilli || MemoryFree < pod.MemoryBytes || PodSlots <= 0
            || (pod.NeedsGpu && (pod.GpuMilli >= 1000 ? FullyFree < pod.GpuCount : MaxCardFree < pod.GpuMilli));
    }
}
