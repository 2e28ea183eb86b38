using System.Buffers;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring;

/// <summary>
/// The one candidate engine behind kube-scheduler's verbs: resolve the candidate names against
/// the node table, fit each node card by card (on several cores for a large list), pre-score and
/// score the nodes the pod fits with the configured policy, map 0..100 to 0..10
/// (<see cref="ScoreNormalization.Map"/>), and re-check fit at bind time while choosing the cards.
/// <c>lepton serve</c>'s extender and the simulator's kube mode both call it, so what the
/// simulator measures is what runs in the cluster. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var engine = new CandidateScoring(state, ScorerRegistry.CreateDefault().Create("FGD"), mix, ScoreMapping.StableRank, seed: 42);
/// using var candidates = engine.Resolve(["gpu-a100-0", "gpu-t4-1"]);
/// var scores = new long[candidates.Count];
/// engine.Score(pod, candidates, scores);          // 0..10 per candidate, 0 for unknown or unfit
/// var outcome = engine.Assume(pod, "gpu-a100-0");  // the bind-time re-check, cards chosen by the policy
/// </code>
/// </example>
public sealed class CandidateScoring
{
    /// <summary>The <c>FailedNodes</c> reason of a node Lepton does not know (DECISIONS.md 6).</summary>
    public const string UnknownNodeMessage = "Unknown node: not in Lepton's node cache yet";

    /// <summary>How many candidates the fit passes check between two looks at the request's deadline.</summary>
    public const int CancellationStride = 256;

    private readonly ITypicalMixSource _mix;
    private readonly int _seed;
    private readonly int _cores;

    /// <summary>Creates the engine.</summary>
    /// <param name="state">The cluster state the verbs read and bind assumes into.</param>
    /// <param name="scorer">The configured policy.</param>
    /// <param name="mix">The FGD typical-task mix.</param>
    /// <param name="mapping">How scores map to 0..10 (DECISIONS.md 3).</param>
    /// <param name="seed">The scoring random seed (each pod draws from <c>seed ^ hash(uid)</c>).</param>
    /// <param name="cores">How many cores one call may use (the simulator, which runs seeds side by side, passes 1); null: every core.</param>
    public CandidateScoring(ClusterState state, NodeScorer scorer, ITypicalMixSource mix, ScoreMapping mapping, int seed, int? cores = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(mix);
        if (!Enum.IsDefined(mapping))
        {
            throw new ArgumentOutOfRangeException(nameof(mapping), mapping, "Unknown score mapping.");
        }

        if (cores is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cores), cores, "At least one core.");
        }

        State = state;
        Scorer = scorer;
        _mix = mix;
        Mapping = mapping;
        _seed = seed;
        _cores = cores ?? Environment.ProcessorCount;
    }

    /// <summary>The cluster state.</summary>
    public ClusterState State { get; }

    /// <summary>The policy prioritize scores with.</summary>
    public NodeScorer Scorer { get; }

    /// <summary>How prioritize maps the policy's scores to 0..10.</summary>
    public ScoreMapping Mapping { get; }

    /// <summary>The scoring context of one pod: the current typical mix, the cluster's scale, and a random source seeded by the engine's seed and the pod's UID (reproducible, whichever call comes first).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The context.</returns>
    public ScoringContext ContextFor(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new(_mix.Current, State.Scale, new System.Random(_seed ^ StableHash(pod.Uid)));
    }

    /// <summary>
    /// Resolves candidate names to node table slots (-1 for unknown names), one lookup per name;
    /// when the request parser already resolved them against the current table, its slots are used.
    /// </summary>
    /// <param name="names">The candidate names, in request order.</param>
    /// <param name="parsedTable">The table the parser resolved against, or null.</param>
    /// <param name="parsedSlots">The parser's slots (one per name), or null.</param>
    /// <returns>The candidates; dispose to return pooled arrays.</returns>
    public CandidateSet Resolve(IReadOnlyList<string> names, NodeTable? parsedTable = null, int[]? parsedSlots = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var table = State.Table;
        if (parsedSlots is not null && ReferenceEquals(parsedTable, table))
        {
            return new CandidateSet(table, parsedSlots, names.Count, pooled: false);
        }

        var slots = ArrayPool<int>.Shared.Rent(Math.Max(names.Count, 1));
        for (var i = 0; i < names.Count; i++)
        {
            table.TryResolve(names[i], out slots[i]);
        }

        return new CandidateSet(table, slots, names.Count, pooled: true);
    }

    /// <summary>
    /// Fits the pod on every candidate: <paramref name="nodes"/>[i] is the node's state (null when
    /// unknown) and <paramref name="codes"/>[i] the fit check's code (<see cref="FitChecker.Describe(FitCode, PodDemand, NodeState, FitReasonDetail)"/>
    /// turns it into the reason on demand).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="candidates">The candidates.</param>
    /// <param name="nodes">Receives one state per candidate (at least <see cref="CandidateSet.Count"/> long).</param>
    /// <param name="codes">Receives one code per known candidate.</param>
    /// <param name="cancellationToken">The request's deadline: checked every <see cref="CancellationStride"/> nodes.</param>
    /// <exception cref="OperationCanceledException">The deadline passed before every candidate was checked.</exception>
    public void Fit(PodDemand pod, CandidateSet candidates, NodeState?[] nodes, FitCode[] codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(codes);
        var n = candidates.Count;
        var own = OwnReservation(pod);
        var chunks = BatchPartition.FitPartCount(n, _cores);
        if (chunks <= 1)
        {
            CheckRange(pod, own, candidates, 0, n, nodes, codes, cancellationToken);
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
                CheckRange(pod, own, candidates, BatchPartition.Start(n, chunks, c), BatchPartition.Start(n, chunks, c + 1), nodes, codes, cancellationToken));
        }

        // The ranges stop early when the deadline passes; their partial output is never used.
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Scores the candidates 0..10: the policy scores the nodes the pod fits in one batch (split
    /// over cores when it is large and the policy scores nodes independently), clamped to 0..100
    /// and mapped by <see cref="Mapping"/>; unknown and unfit nodes score 0. A scorer's exception
    /// propagates (the caller decides the fallback, DECISIONS.md 6).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="candidates">The candidates.</param>
    /// <param name="result">Receives one score per candidate, in candidate order.</param>
    /// <param name="cancellationToken">
    /// The request's deadline: checked every <see cref="CancellationStride"/> nodes of the fit pass and
    /// before and after the policy's batch (one batch, such as the learned model's inference, is not cut).
    /// </param>
    /// <exception cref="OperationCanceledException">The deadline passed before the scores were mapped.</exception>
    public void Score(PodDemand pod, CandidateSet candidates, Span<long> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var n = candidates.Count;
        result[..n].Clear();
        if (n == 0)
        {
            return;
        }

        var own = OwnReservation(pod);
        var feasible = ArrayPool<NodeState>.Shared.Rent(n);
        var positions = ArrayPool<int>.Shared.Rent(n);
        var raw = ArrayPool<int>.Shared.Rent(n);
        var mapped = ArrayPool<long>.Shared.Rent(n);
        try
        {
            var chunks = BatchPartition.PartCount(n, _cores);
            int f;
            if (chunks <= 1)
            {
                f = FitRange(pod, own, candidates, 0, n, feasible, positions, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (f > 0)
                {
                    Scorer.Score(Scorer.PreScore(pod, ContextFor(pod)), feasible.AsSpan(0, f), raw.AsSpan(0, f));
                }
            }
            else
            {
                f = FitAndScoreInParallel(Scorer.PreScore(pod, ContextFor(pod)), own, candidates, n, chunks, feasible, positions, raw, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();

            if (f == 0)
            {
                return;
            }

            var scores = raw.AsSpan(0, f);
            foreach (ref var s in scores)
            {
                s = Math.Clamp(s, 0, NodeScorer.MaxScore);
            }

            var table = candidates.Table;
            var slots = candidates.Slots;
            ScoreNormalization.Map(Mapping, scores, mapped.AsSpan(0, f), j => table.OrderKeyAt(slots[positions[j]]));
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
    /// The bind-time re-check: assumes the pod on the node in the cluster state, atomically
    /// re-checking fit and choosing the cards with the policy's rule.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node kube-scheduler chose.</param>
    /// <returns>The outcome; its error is the reason kube-scheduler sees.</returns>
    public AssumeOutcome Assume(PodDemand pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var pre = Scorer.PreScore(pod, ContextFor(pod));
        return State.Assume(pod, nodeName, (node, cards) => Scorer.SelectCards(pre, node, cards));
    }

    /// <summary>
    /// Fits and scores a large batch in <paramref name="chunks"/> contiguous parts on the thread
    /// pool, then compacts them in request order: the same feasible list, positions and scores as
    /// one sequential pass (a scorer that needs the whole batch scores it once, after the fit).
    /// </summary>
    private int FitAndScoreInParallel(PreScoreState pre, PlacedPod? own, CandidateSet candidates, int n, int chunks, NodeState[] feasible, int[] positions, int[] raw, CancellationToken cancellationToken)
    {
        var counts = new int[chunks];
        var alone = Scorer.ScoresNodesIndependently;
        var pod = pre.Pod;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var lo = BatchPartition.Start(n, chunks, c);
            var hi = BatchPartition.Start(n, chunks, c + 1);
            var k = FitRange(pod, own, candidates, lo, hi, feasible.AsSpan(lo), positions.AsSpan(lo), cancellationToken);
            counts[c] = k;
            if (alone && k > 0 && !cancellationToken.IsCancellationRequested)
            {
                Scorer.Score(pre, feasible.AsSpan(lo, k), raw.AsSpan(lo, k));
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
            Scorer.Score(pre, feasible.AsSpan(0, f), raw.AsSpan(0, f));
        }

        return f;
    }

    /// <summary>
    /// The room gang admission holds for this pod in the cluster state: a gang member whose reservation the
    /// ledger assumed (so that no other pod can take it) is fitted to its reserved node as if that room were free,
    /// and its bind there returns the same placement. Null for every other pod (one dictionary lookup, and
    /// only for pods that carry a reservation).
    /// </summary>
    private PlacedPod? OwnReservation(PodDemand pod) =>
        pod.ReservedNode is { } reserved && State.TryGetPod(pod.Uid, out var placed)
            && placed.Phase == PlacementPhase.Assumed && string.Equals(placed.NodeName, reserved, StringComparison.Ordinal)
            ? placed
            : null;

    /// <summary>The node as the pod sees it: without the pod's own reserved room on its reserved node.</summary>
    private static NodeState Seen(PlacedPod? own, NodeState node) =>
        own is not null && string.Equals(own.NodeName, node.Name, StringComparison.Ordinal)
            ? node.WithoutPod(own.Pod, own.Cards.AsSpan(), node.Version)
            : node;

    /// <summary>Checks the pod against the known nodes of candidates <c>[lo..hi)</c> (null and no code for unknown nodes).</summary>
    private static void CheckRange(PodDemand pod, PlacedPod? own, CandidateSet candidates, int lo, int hi, NodeState?[] nodes, FitCode[] codes, CancellationToken cancellationToken)
    {
        var table = candidates.Table;
        var slots = candidates.Slots;
        for (var i = lo; i < hi; i++)
        {
            if ((i - lo) % CancellationStride == 0 && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var slot = slots[i];
            if (slot >= 0)
            {
                var node = Seen(own, table.StateAt(slot));
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
    private static int FitRange(PodDemand pod, PlacedPod? own, CandidateSet candidates, int lo, int hi, Span<NodeState> feasible, Span<int> positions, CancellationToken cancellationToken)
    {
        var table = candidates.Table;
        var slots = candidates.Slots;
        var k = 0;
        for (var i = lo; i < hi; i++)
        {
            if ((i - lo) % CancellationStride == 0 && cancellationToken.IsCancellationRequested)
            {
                return k;
            }

            var slot = slots[i];
            if (slot < 0)
            {
                continue;
            }

            var node = Seen(own, table.StateAt(slot));
            if (FitChecker.Check(pod, node) == FitCode.Fits)
            {
                feasible[k] = node;
                positions[k] = i;
                k++;
            }
        }

        return k;
    }

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
}

/// <summary>A request's candidates: node table slots (-1 for unknown names), in request order.</summary>
public readonly struct CandidateSet : IDisposable
{
    internal CandidateSet(NodeTable table, int[] slots, int count, bool pooled)
    {
        Table = table;
        Slots = slots;
        Count = count;
        Pooled = pooled;
    }

    /// <summary>The node table the slots index.</summary>
    public NodeTable Table { get; }

    /// <summary>One slot per candidate (the array may be longer than <see cref="Count"/>).</summary>
    public int[] Slots { get; }

    /// <summary>How many candidates.</summary>
    public int Count { get; }

    /// <summary>Whether <see cref="Slots"/> is a pooled array (looked up here, returned on dispose) rather than the parser's.</summary>
    public bool Pooled { get; }

    /// <summary>Returns a pooled slot array.</summary>
    public void Dispose()
    {
        if (Pooled)
        {
            ArrayPool<int>.Shared.Return(Slots);
        }
    }
}
