using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Gangs;

/// <summary>
/// Places a gang's members one after another on a what-if copy of the cluster state, as kube-scheduler with
/// Lepton's extender would: the nodes each member fits card by card (<see cref="FitChecker"/>), the best of them by
/// the configured policy (the extender's <see cref="NodeScorer"/>, the same FGD mix), cards by the policy's rule.
/// The copy is made of the cluster state's immutable <see cref="NodeState"/>s, so nothing is changed or locked:
/// other gangs' unbound reservations are added first (<see cref="GangReservationLedger"/>), then each placed
/// member, so members never share room and never take room promised to another gang.
/// <para>
/// The fit check applies kube-scheduler's hard predicates (<see cref="NodePredicates"/>: unschedulable, nodeName,
/// taints, nodeSelector, required node affinity), so a gang is only ever reserved on nodes kube-scheduler accepts.
/// Two gang terms sit on top of the policy: a gang needing GPUs is placed on <b>one GPU model</b> (each model the
/// nodes offer is tried, the model of the policy's first choice first; the first plan that places the most members
/// wins, and a split across models is used only when the job allows several models and no single model takes the
/// gang), and a member prefers a <b>node the gang already uses</b> (+<see cref="NodeScorer.MaxScore"/> on the
/// policy's 0..100), so a gang lands on few nodes.
/// </para>
/// </summary>
public sealed class GangPlanner
{
    private readonly ClusterState _state;
    private readonly NodeScorer _scorer;
    private readonly TypicalMixProvider _mix;
    private readonly int _seed;

    /// <summary>Creates the planner.</summary>
    /// <param name="state">The cluster state.</param>
    /// <param name="scorer">The configured placement policy.</param>
    /// <param name="mix">The typical-task mix the policy scores with.</param>
    /// <param name="options">The operator options (random seed).</param>
    public GangPlanner(ClusterState state, NodeScorer scorer, TypicalMixProvider mix, IOptions<OperatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(mix);
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _scorer = scorer;
        _mix = mix;
        _seed = options.Value.RandomSeed;
    }

    /// <summary>The cluster state's version (<see cref="ClusterState.Version"/>): changes with every node or pod change.</summary>
    public long StateVersion => _state.Version;

    /// <summary>
    /// Whether a member still fits the node it is reserved on: the node as the cluster state has it, plus the
    /// other reservations on that node (the member's own is not counted against it).
    /// </summary>
    /// <param name="member">The member (its own reservation, if any, is ignored).</param>
    /// <param name="nodeName">The reserved node.</param>
    /// <param name="reservations">The reservations in force.</param>
    /// <returns>True while the reserved room is still there.</returns>
    public bool StillFits(PodDemand member, string nodeName, IReadOnlyCollection<GangReservation> reservations)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(reservations);
        if (!_state.TryGetNode(nodeName, out var node))
        {
            return false;
        }

        if (_state.TryGetPod(member.Uid, out var own) && own.Phase == PlacementPhase.Assumed && own.NodeName == nodeName)
        {
            // The member's own reservation, assumed by the ledger, is its room, not room taken from it.
            node = node.WithoutPod(own.Pod, own.Cards.AsSpan(), node.Version);
        }

        foreach (var r in reservations)
        {
            if (r.NodeName != nodeName || r.Pod.Uid == member.Uid || _state.TryGetPod(r.Pod.Uid, out _))
            {
                continue;
            }

            node = node.WithPod(r.Pod, Cards(r.Pod, node), node.Version);
        }

        return FitChecker.Check(member with { ReservedNode = null }, node) == FitCode.Fits;
    }

    /// <summary>Places the members, in order, on the cluster state plus <paramref name="reservations"/>.</summary>
    /// <param name="members">The members to place (their own reservations, if any, are ignored).</param>
    /// <param name="reservations">Room already promised to other gangs' unbound members.</param>
    /// <returns>The plan.</returns>
    public GangPlan Plan(IReadOnlyList<PodDemand> members, IReadOnlyCollection<GangReservation> reservations) =>
        Plan(members, reservations, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// Places the members, in order, on the cluster state plus <paramref name="reservations"/>, as if the pods
    /// <paramref name="freed"/> names were gone (preemption's what-if: victims, or pods already terminating).
    /// </summary>
    /// <param name="members">The members to place (their own reservations, if any, are ignored).</param>
    /// <param name="reservations">Room already promised to other gangs' unbound members.</param>
    /// <param name="freed">UIDs of pods whose room counts as free (placed pods and reservations alike).</param>
    /// <returns>The plan.</returns>
    public GangPlan Plan(IReadOnlyList<PodDemand> members, IReadOnlyCollection<GangReservation> reservations, IReadOnlySet<string> freed)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(reservations);
        ArgumentNullException.ThrowIfNull(freed);
        var nodes = _state.Nodes.ToArray();
        var index = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            index[nodes[i].Name] = i;
        }

        var memberUids = members.Select(m => m.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in memberUids)
        {
            // A member's own earlier reservation, assumed in the cluster state by the ledger, is room it may use.
            if (_state.TryGetPod(uid, out var own) && own.Phase == PlacementPhase.Assumed && index.TryGetValue(own.NodeName, out var at))
            {
                nodes[at] = nodes[at].WithoutPod(own.Pod, own.Cards.AsSpan(), nodes[at].Version);
            }
        }

        foreach (var uid in freed)
        {
            if (!memberUids.Contains(uid) && _state.TryGetPod(uid, out var gone) && index.TryGetValue(gone.NodeName, out var at))
            {
                nodes[at] = nodes[at].WithoutPod(gone.Pod, gone.Cards.AsSpan(), nodes[at].Version);
            }
        }

        foreach (var r in reservations)
        {
            if (memberUids.Contains(r.Pod.Uid) || freed.Contains(r.Pod.Uid) || _state.TryGetPod(r.Pod.Uid, out _) || !index.TryGetValue(r.NodeName, out var i))
            {
                continue;
            }

            nodes[i] = nodes[i].WithPod(r.Pod, Cards(r.Pod, nodes[i]), nodes[i].Version);
        }

        return PlanOn(members, nodes);
    }

    /// <summary>
    /// Places the members on the cluster's nodes with nothing running on them: whether the gang could ever fit,
    /// whatever frees up. A gang this cannot place waits for nothing (<c>NoMatchingNodes</c>).
    /// </summary>
    /// <param name="members">The members.</param>
    /// <returns>The plan.</returns>
    public GangPlan PlanOnEmptyCluster(IReadOnlyList<PodDemand> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return PlanOn(members, [.. _state.Nodes.ToArray().Select(n => NodeState.Empty(n.Inventory))]);
    }

    private GangPlan PlanOn(IReadOnlyList<PodDemand> members, NodeState[] baseline)
    {
        var anyPlan = Place(members, baseline, model: null, restrictModel: false);
        if (members.Count == 0 || !members[0].NeedsGpu)
        {
            return anyPlan;
        }

        // One GPU model per gang: the policy's first choice's model first, then the others in a fixed order.
        var first = anyPlan.Placements.Count > 0 ? baseline.First(n => n.Name == anyPlan.Placements[0].NodeName).Inventory.GpuModel : null;
        var models = baseline.Where(n => n.Inventory.GpuCards > 0).Select(n => n.Inventory.GpuModel ?? string.Empty).Distinct(StringComparer.Ordinal)
            .OrderBy(m => m == (first ?? string.Empty) ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal).ToList();
        GangPlan? best = null;
        foreach (var model in models)
        {
            var plan = Place(members, baseline, model.Length == 0 ? null : model, restrictModel: true);
            if (best is null || plan.Placements.Count > best.Placements.Count)
            {
                best = plan;
            }

            if (plan.Unplaced.Count == 0)
            {
                break;
            }
        }

        best ??= anyPlan;
        var allowsSeveral = members[0].GpuModels.Length > 1;
        return allowsSeveral && best.Unplaced.Count > 0 && anyPlan.Placements.Count > best.Placements.Count ? anyPlan : best;
    }

    private GangPlan Place(IReadOnlyList<PodDemand> members, NodeState[] baseline, string? model, bool restrictModel)
    {
        var nodes = baseline.ToArray();
        var context = new ScoringContext(_mix.Current, _state.Scale, new Random(_seed));
        var placements = new List<GangPlacement>(members.Count);
        var unplaced = new List<PodDemand>();
        var feasible = new List<int>(nodes.Length);
        var used = new HashSet<int>();
        foreach (var member in members)
        {
            var pod = member with { ReservedNode = null };
            feasible.Clear();
            for (var i = 0; i < nodes.Length; i++)
            {
                if ((!restrictModel || !pod.NeedsGpu || string.Equals(nodes[i].Inventory.GpuModel, model, StringComparison.Ordinal))
                    && FitChecker.Check(pod, nodes[i]) == FitCode.Fits)
                {
                    feasible.Add(i);
                }
            }

            if (feasible.Count == 0)
            {
                unplaced.Add(member);
                continue;
            }

            var pre = _scorer.PreScore(pod, context);
            var candidates = feasible.Select(i => nodes[i]).ToArray();
            var scores = new int[candidates.Length];
            _scorer.Score(pre, candidates, scores);
            var best = 0;
            for (var j = 0; j < candidates.Length; j++)
            {
                // Few nodes per gang: a node the gang already uses outranks every node it does not.
                scores[j] = Math.Clamp(scores[j], 0, NodeScorer.MaxScore) + (used.Contains(feasible[j]) ? NodeScorer.MaxScore + 1 : 0);
                if (scores[j] > scores[best])
                {
                    best = j;
                }
            }

            var chosen = feasible[best];
            var node = nodes[chosen];
            var buffer = new int[Math.Max(pod.GpuCount, 1)];
            var count = _scorer.SelectCards(pre, node, buffer);
            if (count < 0 || (pod.NeedsGpu && count != pod.GpuCount))
            {
                count = CardSelection.Select(pod, node.CardFree, CardSelection.ShareRule.BestFit, buffer);
            }

            var cards = count > 0 ? buffer[..count] : [];
            nodes[chosen] = node.WithPod(pod, cards, node.Version);
            used.Add(chosen);
            placements.Add(new GangPlacement(pod with { ReservedNode = node.Name }, node.Name, [.. cards]));
        }

        return new GangPlan(placements, unplaced, baseline);
    }

    private static int[] Cards(PodDemand pod, NodeState node)
    {
        var buffer = new int[Math.Max(pod.GpuCount, 1)];
        var n = CardSelection.Select(pod, node.CardFree, CardSelection.ShareRule.BestFit, buffer);
        return n > 0 && (!pod.NeedsGpu || n == pod.GpuCount) ? buffer[..n] : [];
    }
}
