using System.Buffers;
using System.Text.Json;
using Lepton.Extender.Binding;
using Lepton.Extender.Fragmentation;
using Lepton.Extender.Metrics;
using Lepton.Extender.Pods;
using Lepton.Extender.Wire;
using Lepton.Kubernetes;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Verbs;

/// <summary>
/// The four verbs over the one cluster state, on typed wire objects (the HTTP layer parses and
/// writes them): filter with card-level fit, prioritize with the configured policy in one batch,
/// bind by assuming the placement, preempt by narrowing victims. Thread-safe.
/// </summary>
public sealed partial class LeptonExtender
{
    /// <summary>The <c>FailedNodes</c> message of a node Lepton does not know (DECISIONS.md 6).</summary>
    public const string UnknownNodeMessage = "Unknown node: not in Lepton's node cache yet";

    private readonly ClusterState _state;
    private readonly PodReader _pods;
    private readonly NodeScorer _scorer;
    private readonly TypicalMixProvider _mix;
    private readonly PendingPodCache _pending;
    private readonly IPodBinder _binder;
    private readonly ExtenderMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _seed;
    private readonly TimeSpan _pendingTtl;
    private readonly ScoreMapping _mapping;

    /// <summary>Creates the extender.</summary>
    /// <param name="state">The cluster state.</param>
    /// <param name="pods">Reads request pods.</param>
    /// <param name="scorer">The configured policy.</param>
    /// <param name="mix">The FGD typical-task mix.</param>
    /// <param name="pending">Pods remembered for bind.</param>
    /// <param name="binder">Makes bindings real.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="seed">The scoring random seed.</param>
    /// <param name="pendingTtl">How long pods are remembered (for messages).</param>
    /// <param name="mapping">How prioritize maps scores to 0..10 (DECISIONS.md 3).</param>
    /// <param name="logger">The logger.</param>
    public LeptonExtender(
        ClusterState state,
        PodReader pods,
        NodeScorer scorer,
        TypicalMixProvider mix,
        PendingPodCache pending,
        IPodBinder binder,
        ExtenderMetrics metrics,
        int seed,
        TimeSpan pendingTtl,
        ScoreMapping mapping,
        ILogger<LeptonExtender> logger)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(mix);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(binder);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _state = state;
        _pods = pods;
        _scorer = scorer;
        _mix = mix;
        _pending = pending;
        _binder = binder;
        _metrics = metrics;
        _seed = seed;
        _pendingTtl = pendingTtl;
        _mapping = Enum.IsDefined(mapping) ? mapping : throw new ArgumentOutOfRangeException(nameof(mapping), mapping, "Unknown score mapping.");
        _logger = logger;
    }

    /// <summary>The policy prioritize scores with.</summary>
    public string PolicyName => _scorer.Name;

    /// <summary>The cluster state the verbs read (the request parser resolves node names against its table).</summary>
    internal ClusterState State => _state;

    /// <summary>How prioritize maps the policy's scores to 0..10.</summary>
    public ScoreMapping ScoreMapping => _mapping;

    /// <summary>
    /// Filters the candidate nodes: those the pod fits card by card pass; the others go to
    /// <c>FailedNodes</c>, or <c>FailedAndUnresolvableNodes</c> when no preemption can help,
    /// with a readable reason. Only names from the request appear in the answer.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>The answer (an <c>Error</c> when the pod cannot be mapped).</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    public ExtenderFilterResult Filter(ExtenderArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = CandidateNames(args);
        _metrics.NodesEvaluated(ExtenderVerb.Filter, names.Count);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "filter", e.Message);
            return new ExtenderFilterResult { Error = e.Message };
        }

        var nodeItems = args.NodeNames is null ? args.Nodes?.Items : null;
        var candidates = Resolve(args, names);
        List<string>? passing = null;
        List<JsonElement>? passingItems = null;
        var n = names.Count;
        var chunks = BatchPartition.PartCount(n, Environment.ProcessorCount);
        var nodes = ArrayPool<NodeState?>.Shared.Rent(Math.Max(n, 1));
        var codes = ArrayPool<FitCode>.Shared.Rent(Math.Max(n, 1));
        try
        {
            // Fit every node (on several cores for a large list), then answer in request order.
            if (chunks <= 1)
            {
                CheckRange(pod, candidates, 0, n, nodes, codes);
            }
            else
            {
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
                    CheckRange(pod, candidates, BatchPartition.Start(n, chunks, c), BatchPartition.Start(n, chunks, c + 1), nodes, codes));
            }

            // Count first, so that each failure map is allocated at its size.
            int failing = 0, unresolving = 0;
            for (var i = 0; i < n; i++)
            {
                if (nodes[i] is null)
                {
                    failing++;
                }
                else if (codes[i] != FitCode.Fits && FitChecker.IsUnresolvable(codes[i]))
                {
                    unresolving++;
                }
                else if (codes[i] != FitCode.Fits)
                {
                    failing++;
                }
            }

            var failed = new FailedNodeMap(pod, candidates.Table.Count, failing);
            var unresolvable = new FailedNodeMap(pod, candidates.Table.Count, unresolving);
            for (var i = 0; i < n; i++)
            {
                var name = names[i];
                if (nodes[i] is not { } node)
                {
                    failed.AddUnknown(name);
                    continue;
                }

                var code = codes[i];
                if (code == FitCode.Fits)
                {
                    if (nodeItems is null)
                    {
                        (passing ??= new List<string>(names.Count - i)).Add(name);
                    }
                    else
                    {
                        (passingItems ??= []).Add(nodeItems[i]);
                    }

                    continue;
                }

                (FitChecker.IsUnresolvable(code) ? unresolvable : failed).Add(name, code, node, candidates.Slots[i]);
            }

            return new ExtenderFilterResult
            {
                NodeNames = passing,
                Nodes = passingItems is null ? null : new RawNodeList(passingItems, args.Nodes!.Metadata),
                FailedNodes = failed,
                FailedAndUnresolvableNodes = unresolvable,
                Error = string.Empty,
            };
        }
        finally
        {
            Array.Clear(nodes, 0, Math.Min(n, nodes.Length));
            ArrayPool<NodeState?>.Shared.Return(nodes);
            ArrayPool<FitCode>.Shared.Return(codes);
            candidates.Return();
        }
    }

    /// <summary>
    /// Scores the candidate nodes 0..10: the configured policy scores the nodes the pod fits in
    /// one batch (split over cores when it is large and the policy scores nodes independently),
    /// mapped by the configured <see cref="Extender.ScoreMapping"/> (DECISIONS.md 3: stable rank by
    /// default, ties broken by <see cref="ScoreNormalization.NodeOrderKey"/>, or min-max); unknown
    /// and unfit nodes score 0, and on any trouble every node scores 0 (DECISIONS.md 6).
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>One entry per requested node, in request order.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    public List<HostPriority> Prioritize(ExtenderArgs args)
    {
        var scores = PrioritizeScores(args);
        var result = new List<HostPriority>(scores.Count);
        for (var i = 0; i < scores.Count; i++)
        {
            result.Add(new HostPriority { Host = scores.Hosts[i], Score = scores.Scores[i] });
        }

        return result;
    }

    /// <summary>
    /// <see cref="Prioritize"/>'s answer as two parallel arrays (no object per node): what the HTTP
    /// layer writes.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>One score per requested node, in request order.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    public HostScores PrioritizeScores(ExtenderArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = CandidateNames(args);
        _metrics.NodesEvaluated(ExtenderVerb.Prioritize, names.Count);
        var result = new HostScores(names, new long[names.Count]);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "prioritize", e.Message);
            _metrics.ScoringFallback("pod_unmappable");
            return result;
        }

        var candidates = Resolve(args, names);
        if (!candidates.Pooled)
        {
            // The parser's slots: the writer copies the names' bytes from the node table.
            result = result.WithSlots(candidates.Table, candidates.Slots);
        }

        try
        {
            ScoreInto(pod, candidates, result.Scores);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogScoringFailed(_logger, _scorer.Name, pod.Key, e);
            _metrics.ScoringFallback("scorer_error");
            Array.Clear(result.Scores);
        }
        finally
        {
            candidates.Return();
        }

        return result;
    }

    /// <summary>
    /// Binds a pod seen by an earlier filter or prioritize call: assumes the placement in the
    /// cluster state (re-checking fit atomically, choosing cards with the policy's rule), then
    /// asks the binder to make it real, undoing the assumption if that fails.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <param name="cancellationToken">The request's deadline.</param>
    /// <returns>The answer; <c>Error</c> is empty on success.</returns>
    public async ValueTask<ExtenderBindingResult> BindAsync(ExtenderBindingArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var who = $"{args.PodNamespace}/{args.PodName}";
        if (string.IsNullOrEmpty(args.PodUID) || string.IsNullOrEmpty(args.Node))
        {
            return new ExtenderBindingResult { Error = $"bind of pod {who}: PodUID and Node are required" };
        }

        if (!_pending.TryGet(args.PodUID, out var pod))
        {
            return new ExtenderBindingResult
            {
                Error = $"bind of pod {who} (uid {args.PodUID}): unknown to Lepton, no filter or prioritize call for it within the last {_pendingTtl.TotalSeconds:0} s",
            };
        }

        var existed = _state.TryGetPod(pod.Uid, out _);
        var pre = _scorer.PreScore(pod, ContextFor(pod));
        var outcome = _state.Assume(pod, args.Node, (node, cards) => _scorer.SelectCards(pre, node, cards));
        if (!outcome.Succeeded)
        {
            return new ExtenderBindingResult { Error = outcome.Error };
        }

        var binding = new PodBindingRequest(
            string.IsNullOrEmpty(args.PodNamespace) ? pod.Namespace : args.PodNamespace,
            string.IsNullOrEmpty(args.PodName) ? pod.Name : args.PodName,
            args.PodUID,
            args.Node,
            outcome.Placement!.Cards);
        try
        {
            await _binder.BindAsync(binding, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!existed)
            {
                _state.Remove(pod.Uid);
            }

            LogBindFailed(_logger, who, args.Node, e);
            return new ExtenderBindingResult { Error = $"bind of pod {who} to node {args.Node} failed: {e.Message}" };
        }

        LogBound(_logger, who, args.Node, string.Join(',', binding.Cards));
        return new ExtenderBindingResult();
    }

    /// <summary>
    /// Narrows each candidate node's victims to the set that makes the pod fit card by card
    /// (<see cref="VictimSelector"/>); drops nodes where the offered victims cannot make room or
    /// that Lepton does not know. Never adds a node or a victim.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>The answer, always as MetaVictims.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    public ExtenderPreemptionResult Preempt(ExtenderPreemptionArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var candidates = Unchanged(args);
        _metrics.NodesEvaluated(ExtenderVerb.Preempt, candidates.Count);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "preempt", e.Message);
            return new ExtenderPreemptionResult { NodeNameToMetaVictims = candidates };
        }

        var result = new Dictionary<string, MetaVictims>(StringComparer.Ordinal);
        foreach (var (nodeName, offered) in candidates)
        {
            if (offered.Pods is not { Count: > 0 } offeredPods || !_state.TryGetNode(nodeName, out var node))
            {
                continue;
            }

            var known = new List<PlacedPod>(offeredPods.Count);
            foreach (var meta in offeredPods)
            {
                if (meta.UID is { } uid && _state.TryGetPod(uid, out var placed) && placed.NodeName == nodeName)
                {
                    known.Add(placed);
                }
            }

            var chosen = VictimSelector.Select(pod, node, known);
            if (chosen is null)
            {
                continue;
            }

            if (chosen.Count == 0)
            {
                // Lepton has no card-level objection: keep the dry run's own choice.
                result[nodeName] = offered;
                continue;
            }

            var kept = new List<MetaPod>(chosen.Count);
            foreach (var victim in chosen)
            {
                kept.Add(new MetaPod { UID = victim.Pod.Uid });
            }

            result[nodeName] = new MetaVictims { Pods = kept, NumPDBViolations = Math.Min(offered.NumPDBViolations, kept.Count) };
        }

        return new ExtenderPreemptionResult { NodeNameToMetaVictims = result };
    }

    /// <summary>
    /// The candidate map of a preempt request as MetaVictims, unchanged (UIDs read from full pods
    /// in Victims mode): the safe answer on internal trouble.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>Node name → victims.</returns>
    public static Dictionary<string, MetaVictims> Unchanged(ExtenderPreemptionArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new Dictionary<string, MetaVictims>(StringComparer.Ordinal);
        if (args.NodeNameToMetaVictims is { } meta)
        {
            foreach (var (node, victims) in meta)
            {
                if (victims is not null)
                {
                    result[node] = victims;
                }
            }
        }
        else if (args.NodeNameToVictims is { } full)
        {
            foreach (var (node, victims) in full)
            {
                if (victims is null)
                {
                    continue;
                }

                var pods = new List<MetaPod>(victims.Pods?.Count ?? 0);
                foreach (var p in victims.Pods ?? [])
                {
                    if (p.ValueKind == JsonValueKind.Object && PodReader.UidOf(p) is { Length: > 0 } uid)
                    {
                        pods.Add(new MetaPod { UID = uid });
                    }
                }

                result[node] = new MetaVictims { Pods = pods, NumPDBViolations = victims.NumPDBViolations };
            }
        }

        return result;
    }

    /// <summary>
    /// The candidate node names of a filter or prioritize request, in request order: the
    /// <c>NodeNames</c> when present, else the names of the <c>Nodes</c> items.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>The names.</returns>
    /// <exception cref="ExtenderRequestException">A name is missing.</exception>
    public static IReadOnlyList<string> CandidateNames(ExtenderArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.NodeNames is { } names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] is null)
                {
                    throw new ExtenderRequestException($"NodeNames[{i}] is null.");
                }
            }

            return names as IReadOnlyList<string> ?? [.. names];
        }

        if (args.Nodes is not { } nodes)
        {
            return [];
        }

        var items = nodes.Items;
        var result = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].TryGetProperty("metadata"u8, out var meta)
                || meta.ValueKind != JsonValueKind.Object
                || !meta.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String
                || name.GetString() is not { Length: > 0 } text)
            {
                throw new ExtenderRequestException($"Nodes.items[{i}] has no metadata.name.");
            }

            result[i] = text;
        }

        return result;
    }

    /// <summary>
    /// The request's candidates with their node table slots: the slots the parser resolved when
    /// its table is still the current one, else looked up now (one lookup per name either way).
    /// </summary>
    private Candidates Resolve(ExtenderArgs args, IReadOnlyList<string> names)
    {
        var table = _state.Table;
        if (args.NodeNames is ResolvedNodeNames parsed && ReferenceEquals(parsed.Table, table))
        {
            return new Candidates(table, parsed.Slots, pooled: false);
        }

        var slots = ArrayPool<int>.Shared.Rent(Math.Max(names.Count, 1));
        for (var i = 0; i < names.Count; i++)
        {
            table.TryResolve(names[i], out slots[i]);
        }

        return new Candidates(table, slots, pooled: true);
    }

    private void ScoreInto(PodDemand pod, Candidates candidates, long[] result)
    {
        var n = result.Length;
        if (n == 0)
        {
            return;
        }

        var feasible = ArrayPool<NodeState>.Shared.Rent(n);
        var positions = ArrayPool<int>.Shared.Rent(n);
        var raw = ArrayPool<int>.Shared.Rent(n);
        var mapped = ArrayPool<long>.Shared.Rent(n);
        var f = 0;
        try
        {
            var chunks = BatchPartition.PartCount(n, Environment.ProcessorCount);
            if (chunks <= 1)
            {
                f = FitRange(pod, candidates, 0, n, feasible, positions);
                if (f > 0)
                {
                    _scorer.Score(_scorer.PreScore(pod, ContextFor(pod)), feasible.AsSpan(0, f), raw.AsSpan(0, f));
                }
            }
            else
            {
                f = FitAndScoreInParallel(_scorer.PreScore(pod, ContextFor(pod)), candidates, n, chunks, feasible, positions, raw);
            }

            if (f == 0)
            {
                return;
            }

            var scores = raw.AsSpan(0, f);
            foreach (ref var s in scores)
            {
                s = Math.Clamp(s, 0, NodeScorer.MaxScore);
            }

            if (_mapping == ScoreMapping.MinMax)
            {
                ScoreNormalization.ToExtenderRange(scores, mapped.AsSpan(0, f));
            }
            else
            {
                ScoreNormalization.ToExtenderRangeByRank(scores, j => candidates.Table.OrderKeyAt(candidates.Slots[positions[j]]), mapped.AsSpan(0, f));
            }

            for (var j = 0; j < f; j++)
            {
                result[positions[j]] = mapped[j];
            }
        }
        finally
        {
            Array.Clear(feasible, 0, Math.Min(n, feasible.Length));
            ArrayPool<NodeState>.Shared.Return(feasible);
            ArrayPool<int>.Shared.Return(positions);
            ArrayPool<int>.Shared.Return(raw);
            ArrayPool<long>.Shared.Return(mapped);
        }
    }

    /// <summary>
    /// Fits and scores a large batch in <paramref name="chunks"/> contiguous parts on the thread
    /// pool, then compacts them in request order: the same feasible list, positions and scores as
    /// one sequential pass (a scorer that needs the whole batch scores it once, after the fit).
    /// </summary>
    private int FitAndScoreInParallel(PreScoreState pre, Candidates candidates, int n, int chunks, NodeState[] feasible, int[] positions, int[] raw)
    {
        var counts = new int[chunks];
        var alone = _scorer.ScoresNodesIndependently;
        var pod = pre.Pod;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var lo = BatchPartition.Start(n, chunks, c);
            var hi = BatchPartition.Start(n, chunks, c + 1);
            var k = FitRange(pod, candidates, lo, hi, feasible.AsSpan(lo), positions.AsSpan(lo));
            counts[c] = k;
            if (alone && k > 0)
            {
                _scorer.Score(pre, feasible.AsSpan(lo, k), raw.AsSpan(lo, k));
            }
        });

        var f = 0;
        for (var c = 0; c < chunks; c++)
        {
            var lo = BatchPartition.Start(n, chunks, c);
            var k = counts[c];
            if (lo != f)
            {
                Array.Copy(feasible, lo, feasible, f, k);
                Array.Copy(positions, lo, positions, f, k);
                Array.Copy(raw, lo, raw, f, k);
            }

            f += k;
        }

        if (!alone && f > 0)
        {
            _scorer.Score(pre, feasible.AsSpan(0, f), raw.AsSpan(0, f));
        }

        return f;
    }

    /// <summary>Checks the pod against the known nodes of candidates <c>[lo..hi)</c> (null and no code for unknown nodes).</summary>
    private static void CheckRange(PodDemand pod, Candidates candidates, int lo, int hi, NodeState?[] nodes, FitCode[] codes)
    {
        var table = candidates.Table;
        var slots = candidates.Slots;
        for (var i = lo; i < hi; i++)
        {
            var slot = slots[i];
            if (slot >= 0)
            {
                var node = table.StateAt(slot);
                nodes[i] = node;
                codes[i] = FitChecker.Check(pod, node);
            }
            else
            {
                nodes[i] = null;
            }
        }
    }

    /// <summary>Writes the nodes of candidates <c>[lo..hi)</c> the pod fits, and their positions, from index 0 of the spans.</summary>
    private static int FitRange(PodDemand pod, Candidates candidates, int lo, int hi, Span<NodeState> feasible, Span<int> positions)
    {
        var table = candidates.Table;
        var slots = candidates.Slots;
        var k = 0;
        for (var i = lo; i < hi; i++)
        {
            var slot = slots[i];
            if (slot < 0)
            {
                continue;
            }

            var node = table.StateAt(slot);
            if (FitChecker.Check(pod, node) == FitCode.Fits)
            {
                feasible[k] = node;
                positions[k] = i;
                k++;
            }
        }

        return k;
    }

    private ScoringContext ContextFor(PodDemand pod) =>
        new(_mix.Current, _state.Scale, new System.Random(_seed ^ StableHash(pod.Uid)));

    private static int StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and runs must be reproducible.
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)h;
    }

    /// <summary>A request's node table slots (-1 for unknown names), in request order.</summary>
    private readonly struct Candidates(NodeTable table, int[] slots, bool pooled)
    {
        public NodeTable Table { get; } = table;

        public int[] Slots { get; } = slots;

        /// <summary>Whether <see cref="Slots"/> is a pooled array (looked up here, returned after use) rather than the parser's.</summary>
        public bool Pooled { get; } = pooled;

        public void Return()
        {
            if (Pooled)
            {
                ArrayPool<int>.Shared.Return(Slots);
            }
        }
    }
}
