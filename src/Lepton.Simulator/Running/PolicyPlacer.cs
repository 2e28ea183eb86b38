using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;

namespace Lepton.Simulator.Running;

/// <summary>
/// Places one pod at a time the way the artifact's scheduler does: filter every node, choose
/// the only feasible node without scoring, else score the feasible nodes in one batch and take
/// the first maximum in node order (the cluster state holds nodes in priority order), then the
/// policy's cards. Reuses its buffers: no allocation per node.
/// </summary>
/// <remarks>
/// <see cref="FitChecker.Check"/> decides feasibility. Before calling it, a compact per-node
/// summary (free CPU, memory, pod slots, fully free cards, most free milli on one card) skips
/// nodes that certainly fail: every skipped node would fail <see cref="FitChecker.Check"/> too,
/// so the feasible set is the same, found without chasing each node's objects through memory.
/// </remarks>
internal sealed class PolicyPlacer
{
    private readonly ClusterState _state;
    private readonly NodeScorer _scorer;
    private readonly ScoringContext _context;
    private readonly Summary[] _summary;
    private readonly Dictionary<string, int> _index;
    private readonly NodeState[] _candidates;
    private readonly int[] _candidateIndex;
    private readonly int[] _scores;
    private readonly int[] _cards = new int[64];

    public PolicyPlacer(ClusterState state, NodeScorer scorer, ScoringContext context)
    {
        _state = state;
        _scorer = scorer;
        _context = context;
        var nodes = state.Nodes;
        _summary = new Summary[nodes.Length];
        _index = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            _index[nodes[i].Name] = i;
            _summary[i] = Summary.Of(nodes[i]);
        }

        _candidates = new NodeState[Math.Max(1, nodes.Length)];
        _candidateIndex = new int[_candidates.Length];
        _scores = new int[_candidates.Length];
    }

    /// <summary>GPU milli allocated in the cluster state now.</summary>
    public long AllocatedMilli { get; set; }

    /// <summary>Tries to place the pod; on success it is in the cluster state.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The node chosen, or null when no node fits.</returns>
    public NodeState? TryPlace(PodDemand pod)
    {
        var nodes = _state.Nodes;
        var summary = _summary;
        var candidates = _candidates;
        var candidateIndex = _candidateIndex;
        var cpu = pod.CpuMilli;
        var memory = pod.MemoryBytes;
        var needsGpu = pod.NeedsGpu;
        var whole = pod.GpuMilli >= 1000;
        var count = pod.GpuCount;
        var milli = pod.GpuMilli;
        var n = 0;
        for (var i = 0; i < summary.Length; i++)
        {
            ref readonly var s = ref summary[i];
            if (s.CpuFree < cpu || s.MemoryFree < memory || s.PodSlots <= 0
                || (needsGpu && (whole ? s.FullyFree < count : s.MaxCardFree < milli)))
            {
                continue;
            }

            var node = nodes[i];
            if (FitChecker.Check(pod, node) == FitCode.Fits)
            {
                candidateIndex[n] = i;
                candidates[n++] = node;
            }
        }

        if (n == 0)
        {
            return null;
        }

        var pre = _scorer.PreScore(pod, _context);
        var chosen = 0;
        if (n > 1)
        {
            var scores = _scores.AsSpan(0, n);
            _scorer.Score(pre, candidates.AsSpan(0, n), scores);
            var best = scores[0];
            for (var i = 1; i < scores.Length; i++)
            {
                if (scores[i] > best)
                {
                    best = scores[i];
                    chosen = i;
                }
            }
        }

        var node0 = candidates[chosen];
        var slot = candidateIndex[chosen];
        Array.Clear(candidates, 0, n);
        var cards = _cards.AsSpan(0, Math.Max(1, pod.GpuCount));
        var k = _scorer.SelectCards(pre, node0, cards);
        if (k < 0 || (needsGpu && k != pod.GpuCount))
        {
            return null;
        }

        _state.Place(pod, node0.Name, cards[..k]);
        _summary[slot] = Summary.Of(_state.Nodes[slot]);
        AllocatedMilli += k == 0 ? 0 : pod.TotalGpuMilli;
        return node0;
    }

    /// <summary>Removes a placed pod and frees its capacity.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The index of the node it left (in the cluster state's node order), or -1 when it was not placed.</returns>
    public int Remove(PodDemand pod)
    {
        if (!_state.TryGetPod(pod.Uid, out var placed) || !_state.Remove(pod.Uid))
        {
            return -1;
        }

        AllocatedMilli -= placed.Cards.IsDefaultOrEmpty ? 0 : pod.TotalGpuMilli;
        if (_index.TryGetValue(placed.NodeName, out var slot))
        {
            _summary[slot] = Summary.Of(_state.Nodes[slot]);
            return slot;
        }

        return -1;
    }

    /// <summary>Whether the pod fits any of the given nodes now (<see cref="FitChecker.Check"/>).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="slots">Node indices in the cluster state's node order.</param>
    /// <returns>True when one of them fits.</returns>
    public bool FitsAny(PodDemand pod, IReadOnlyCollection<int> slots)
    {
        var nodes = _state.Nodes;
        foreach (var i in slots)
        {
            if (FitChecker.Check(pod, nodes[i]) == FitCode.Fits)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the quick reject needs of one node, packed together.</summary>
    private readonly record struct Summary(long CpuFree, long MemoryFree, int PodSlots, int FullyFree, int MaxCardFree)
    {
        public static Summary Of(NodeState node)
        {
            var max = 0;
            foreach (var f in node.CardFree)
            {
                max = Math.Max(max, f);
            }

            return new Summary(node.CpuFreeMilli, node.MemoryFreeBytes, node.Inventory.MaxPods - node.PodCount, node.FullyFreeCards, max);
        }
    }
}
