using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Plans rebalancing moves on a what-if copy of the cluster: greedy and deterministic. Each step considers the
/// movable pods of the most fragmented nodes, simulates evicting each one and re-placing it as lepton-scheduler
/// would (<see cref="FitChecker"/> + <see cref="FgdScorer"/>, the source node excluded), and keeps the move that
/// lowers the cluster's total fragmentation Σ F(n) most; it stops when no move lowers it by
/// <see cref="RebalancerOptions.MinFragmentationReductionMilli"/> or a cap is reached.
/// </summary>
/// <remarks>
/// <para>A move is planned only when the FGD score of the best other node is strictly above the score of putting the
/// pod back where it was: otherwise the scheduler would likely return the pod to its own node (the descheduler's
/// "evicted pods land back on the same node").</para>
/// <para>The replacement's landing node is predicted pessimistically: among the nodes tied at the top FGD score,
/// the one whose move lowers fragmentation least. The plan is a prediction; the scheduler decides.</para>
/// <para>Determinism: nodes are visited by name, candidates by <c>namespace/name</c>, and ties keep the first
/// move found, so the same inputs always give the same plan.</para>
/// </remarks>
public sealed class RebalancePlanner
{
    private static readonly FgdScorer Scorer = new();
    private readonly RebalancerOptions _options;

    /// <summary>Creates the planner.</summary>
    /// <param name="options">Thresholds and caps.</param>
    public RebalancePlanner(RebalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Plans moves.</summary>
    /// <param name="nodes">Every node's current state (not modified: the plan works on copies).</param>
    /// <param name="candidates">The pods that may be moved (already filtered for eligibility and cooldowns).</param>
    /// <param name="model">The fragmentation measure with the cluster's typical-task mix.</param>
    /// <returns>The plan.</returns>
    public RebalancePlan Plan(IEnumerable<NodeState> nodes, IEnumerable<RebalanceCandidate> candidates, FragmentationModel model)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(model);
        var states = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(states.Length, StringComparer.Ordinal);
        for (var i = 0; i < states.Length; i++)
        {
            index[states[i].Name] = i;
        }

        var frag = new double[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            frag[i] = model.Of(states[i]);
        }

        var before = frag.Sum();
        var movable = new List<RebalanceCandidate>?[states.Length];
        var candidateCount = 0;
        foreach (var c in candidates
            .Where(c => index.ContainsKey(c.Placement.NodeName))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ThenBy(c => c.Placement.Pod.Uid, StringComparer.Ordinal))
        {
            var i = index[c.Placement.NodeName];
            if (Simulable(c.Placement, states[i]))
            {
                (movable[i] ??= []).Add(c);
                candidateCount++;
            }
        }

        var fragmented = frag.Count(f => f >= _options.MinNodeFragmentationMilli);
        var version = states.Length == 0 ? 1 : states.Max(s => s.Version) + 1;
        var whatIf = new WhatIf(new ScoringContext(model, Scale(states), new Random(0)), version);
        var perNode = new int[states.Length];
        var moves = new List<RebalanceMove>();
        while (moves.Count < _options.MaxEvictionsPerCycle)
        {
            Evaluation? best = null;
            var sources = Enumerable.Range(0, states.Length)
                .Where(i => frag[i] >= _options.MinNodeFragmentationMilli && perNode[i] < _options.MaxEvictionsPerNode && movable[i] is { Count: > 0 })
                .OrderByDescending(i => frag[i])
                .ThenBy(i => i)
                .Take(_options.MaxSourceNodes);
            foreach (var s in sources)
            {
                foreach (var candidate in movable[s]!)
                {
                    var e = Evaluate(states, frag, s, candidate, whatIf, moves.Count);
                    if (e is not null && (best is null || e.Reduction > best.Reduction))
                    {
                        best = e;
                    }
                }
            }

            if (best is null || best.Reduction < _options.MinFragmentationReductionMilli)
            {
                break;
            }

            states[best.Source] = best.SourceAfter;
            states[best.Target] = best.TargetAfter;
            var fragBefore = frag[best.Source] + frag[best.Target];
            frag[best.Source] = model.Of(best.SourceAfter);
            frag[best.Target] = model.Of(best.TargetAfter);
            perNode[best.Source]++;
            movable[best.Source]!.Remove(best.Candidate);
            moves.Add(new RebalanceMove(
                best.Candidate.Placement.Pod,
                best.Candidate.ControllerUid,
                states[best.Source].Name,
                states[best.Target].Name,
                fragBefore,
                frag[best.Source] + frag[best.Target],
                best.TargetScore,
                best.SourceScore));
        }

        return new RebalancePlan(moves, before, frag.Sum(), fragmented, candidateCount);
    }

    private static Evaluation? Evaluate(NodeState[] states, double[] frag, int s, RebalanceCandidate candidate, WhatIf whatIf, int step)
    {
        var source = whatIf.Source(states[s], candidate);
        var row = whatIf.Row(source.Shape, states.Length);
        var best = row.Best(step, states, frag, source.Replacement, exclude: s);
        if (best < 0)
        {
            return null;
        }

        // The scheduler must prefer another node to the pod's own, or the pod would likely come back.
        var target = row.Get(best, states[best], source.Replacement);
        if (target.Score <= source.Score)
        {
            return null;
        }

        var reduction = (frag[s] - source.Fragmentation) + (frag[best] - target.Fragmentation);
        return new Evaluation(candidate, s, best, source.After, target.After!, reduction, target.Score, source.Score);
    }

    // A placement can be simulated when the cards it holds are known and on the node.
    private static bool Simulable(PlacedPod placed, NodeState node)
    {
        var pod = placed.Pod;
        if (!pod.NeedsGpu)
        {
            return true;
        }

        if (placed.Cards.IsDefault || placed.Cards.Length != pod.GpuCount)
        {
            return false;
        }

        foreach (var c in placed.Cards)
        {
            if (c < 0 || c >= node.Inventory.GpuCards)
            {
                return false;
            }
        }

        return true;
    }

    private static ClusterScale Scale(NodeState[] states)
    {
        long cpu = 0;
        var gpu = 0;
        foreach (var s in states)
        {
            cpu = Math.Max(cpu, s.Inventory.CpuMilli);
            gpu = Math.Max(gpu, s.Inventory.GpuMilliCapacity);
        }

        return new ClusterScale(cpu, gpu);
    }

    /// <summary>What-if results, memoised on immutable node states: a node state and a pod shape always give the same answer.</summary>
    private sealed class WhatIf(ScoringContext context, long version)
    {
        private readonly Dictionary<(NodeState Node, PodShape Shape), TargetResult> _targets = [];
        private readonly Dictionary<(NodeState Node, string Uid), SourceResult> _sources = [];
        private readonly Dictionary<PodShape, ShapeRow> _rows = [];

        /// <summary>The results of one pod shape on every node slot, checked against the slot's current state by reference.</summary>
        public ShapeRow Row(PodShape shape, int nodes)
        {
            if (!_rows.TryGetValue(shape, out var row))
            {
                _rows[shape] = row = new ShapeRow(this, shape, nodes);
            }

            return row;
        }

        public SourceResult Source(NodeState node, RebalanceCandidate candidate)
        {
            var placed = candidate.Placement;
            if (_sources.TryGetValue((node, placed.Pod.Uid), out var known))
            {
                return known;
            }

            var after = node.WithoutPod(placed.Pod, placed.Cards.AsSpan(), version);

            // The replacement is a new pod: no gang reservation, no recorded cards, no binding (spec.nodeName); its
            // selector, affinity and tolerations still hold (FitChecker applies them, DECISIONS.md 20).
            var replacement = placed.Pod with { ReservedNode = null, CardsHint = [], Placement = placed.Pod.Placement?.WithoutNodeName() };
            var shape = PodShape.Of(replacement);
            var back = Target(after, shape, replacement);
            var result = new SourceResult(after, context.Fragmentation.Of(after), back.Fits ? back.Score : -1, replacement, shape);
            _sources[(node, placed.Pod.Uid)] = result;
            return result;
        }

        public TargetResult Target(NodeState node, PodShape shape, PodDemand pod)
        {
            if (_targets.TryGetValue((node, shape), out var known))
            {
                return known;
            }

            var result = TargetResult.NoFit;
            if (FitChecker.Check(pod, node) == FitCode.Fits)
            {
                var pre = Scorer.PreScore(pod, context);
                Span<int> cards = stackalloc int[Math.Max(pod.GpuCount, 1)];
                var n = Scorer.SelectCards(pre, node, cards);
                if (n >= 0)
                {
                    var after = node.WithPod(pod, cards[..n], version);
                    result = new TargetResult(true, Scorer.ScoreOne(pre, node), after, context.Fragmentation.Of(after));
                }
            }

            _targets[(node, shape)] = result;
            return result;
        }
    }

    /// <summary>
    /// One pod shape's results on every node slot (checked against the slot's current state by reference), and the
    /// shape's two best landing slots of the current planning step.
    /// </summary>
    private sealed class ShapeRow(WhatIf whatIf, PodShape shape, int nodes)
    {
        private readonly NodeState?[] _seen = new NodeState?[nodes];
        private readonly TargetResult[] _results = new TargetResult[nodes];
        private int _step = -1;
        private int _first = -1;
        private int _second = -1;

        public TargetResult Get(int slot, NodeState node, PodDemand pod)
        {
            if (!ReferenceEquals(_seen[slot], node))
            {
                _results[slot] = whatIf.Target(node, shape, pod);
                _seen[slot] = node;
            }

            return _results[slot];
        }

        /// <summary>
        /// Where kube-scheduler would put the pod, pessimistically: the highest FGD score; among ties, the node
        /// whose own fragmentation gains least (then the lowest slot). The slot <paramref name="exclude"/> (the
        /// pod's own node) is skipped. Returns -1 when no other node fits.
        /// </summary>
        public int Best(int step, NodeState[] states, double[] frag, PodDemand pod, int exclude)
        {
            if (_step != step)
            {
                _step = step;
                _first = _second = -1;
                for (var j = 0; j < states.Length; j++)
                {
                    if (!Get(j, states[j], pod).Fits)
                    {
                        continue;
                    }

                    if (_first < 0 || Before(j, _first, frag))
                    {
                        _second = _first;
                        _first = j;
                    }
                    else if (_second < 0 || Before(j, _second, frag))
                    {
                        _second = j;
                    }
                }
            }

            return _first != exclude ? _first : _second;
        }

        // Slot a ranks before slot b (a > b in index when called, so equal keys keep the lower slot).
        private bool Before(int a, int b, double[] frag)
        {
            var ra = _results[a];
            var rb = _results[b];
            if (ra.Score != rb.Score)
            {
                return ra.Score > rb.Score;
            }

            return frag[a] - ra.Fragmentation < frag[b] - rb.Fragmentation;
        }
    }

    /// <summary>Everything about a pod that fit and FGD look at (its identity excluded).</summary>
    private sealed record PodShape(long Cpu, long Memory, int GpuCount, int GpuMilli, string? GpuResource, string Models, string Extended, PodPlacement? Placement)
    {
        public static PodShape Of(PodDemand pod) => new(
            pod.CpuMilli,
            pod.MemoryBytes,
            pod.GpuCount,
            pod.GpuMilli,
            pod.GpuResource,
            pod.GpuModels.IsDefaultOrEmpty ? string.Empty : string.Join('|', pod.GpuModels),
            pod.Extended.IsDefaultOrEmpty ? string.Empty : string.Join(',', pod.Extended.Select(e => e.Name + "=" + e.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            pod.Placement);
    }

    private sealed record SourceResult(NodeState After, double Fragmentation, int Score, PodDemand Replacement, PodShape Shape);

    private sealed record TargetResult(bool Fits, int Score, NodeState? After, double Fragmentation)
    {
        public static TargetResult NoFit { get; } = new(false, -1, null, 0);
    }

    private sealed record Evaluation(
        RebalanceCandidate Candidate,
        int Source,
        int Target,
        NodeState SourceAfter,
        NodeState TargetAfter,
        double Reduction,
        int TargetScore,
        int SourceScore);
}
