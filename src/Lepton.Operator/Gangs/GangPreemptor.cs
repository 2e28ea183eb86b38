using System.Globalization;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Jobs;
using Lepton.Operator.Rebalancing;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Operator.Gangs;

/// <summary>
/// Makes room for a higher-priority gang by evicting lower-priority <b>whole</b> gangs and single pods through the
/// Eviction API (DECISIONS.md 9; issue 11):
/// <list type="number">
/// <item><b>Units.</b> Every pod Lepton accounts (bound, or reserved for an admitted gang) with a priority strictly
/// below the gang's is a candidate, except pods being deleted or finished, static (mirror) pods and DaemonSet pods
/// (they would come straight back on the same node). A pod of a gang (<c>lepton.ai/gang</c> label) is never a unit of
/// its own: its unit is every active, ungated member of its job, and the gang is a candidate only when every member's
/// priority is below the preemptor's. Equal or higher priority is never preempted.</item>
/// <item><b>Choice.</b> Units are taken lowest priority first, then fewest pods, until the planner
/// (<see cref="GangPlanner"/>, the same what-if as admission, with the victims' room counted free) places the gang;
/// then a reprieve pass, last taken first, gives back every unit the gang fits without.</item>
/// <item><b>Dry run, then all or nothing.</b> Every pod of every chosen unit is first evicted with
/// <c>dryRun: ["All"]</c>; only if all would pass (a 404 or UID conflict means already gone, which passes) are they
/// evicted for real. A PodDisruptionBudget's 429 on any member blocks the whole preemption: no pod is evicted and a
/// gang is never split.</item>
/// <item><b>Reasons.</b> The preemptor's verdict and an event say which gangs and pods it preempts (or what blocked
/// it); each victim gang gets the verdict <see cref="GangVerdictKind.Preempted"/>, and each victim job or pod an event,
/// naming the preemptor.</item>
/// </list>
/// While pods evicted earlier are still terminating and their room would be enough, nothing more is evicted. A
/// budget may still change between the dry run and the real eviction; a real eviction refused then is reported,
/// and the rest of that unit is evicted anyway (the gang is gone already; its job recreates it gated).
/// </summary>
public sealed class GangPreemptor
{
    private readonly ClusterState _state;
    private readonly GangPlanner _planner;
    private readonly IObjectCache<V1Pod> _pods;
    private readonly RebalanceEvictor _evictor;
    private readonly GangEventRecorder _events;
    private readonly GangVerdicts _verdicts;
    private readonly GangReservationLedger _ledger;
    private readonly TimeProvider _time;

    /// <summary>Creates the preemptor.</summary>
    /// <param name="state">The cluster state (the placed pods).</param>
    /// <param name="planner">The what-if placement.</param>
    /// <param name="pods">The pod informer (owner-UID index).</param>
    /// <param name="client">The API client the evictions go through.</param>
    /// <param name="events">Where events are recorded.</param>
    /// <param name="verdicts">Where the victim gangs' verdicts go.</param>
    /// <param name="ledger">The reservations (victims' are released).</param>
    /// <param name="time">The clock.</param>
    public GangPreemptor(
        ClusterState state,
        GangPlanner planner,
        IResourceInformer<V1Pod> pods,
        IKubernetes client,
        GangEventRecorder events,
        GangVerdicts verdicts,
        GangReservationLedger ledger,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        _state = state;
        _planner = planner;
        _pods = pods.Cache;
        _pods.AddIndexer(CacheIndexers.OwnerUid, CacheIndexers.ByOwnerUid);

        // Its own evictor: the rebalancer's is configured by the rebalancer's options, and a gang preemption
        // answers a 429 at once (never retried) all the same.
        _evictor = new RebalanceEvictor(client, new RebalancerOptions(), time);
        _events = events;
        _verdicts = verdicts;
        _ledger = ledger;
        _time = time;
    }

    /// <summary>
    /// The pods Lepton still accounts whose room is being freed: deleted or finished in the pod cache (or gone from
    /// it) while the cluster state has not dropped them yet.
    /// </summary>
    /// <returns>Their UIDs.</returns>
    public HashSet<string> Terminating()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placed in _state.Pods())
        {
            if (placed.Phase == PlacementPhase.Assumed)
            {
                // Reservations and binds in flight: not terminating.
                continue;
            }

            var pod = _pods.Get(new NamespacedName(placed.Pod.Namespace, placed.Pod.Name));
            if (pod is null || pod.Metadata.Uid != placed.Pod.Uid || !JobPods.IsActive(pod))
            {
                result.Add(placed.Pod.Uid);
            }
        }

        return result;
    }

    /// <summary>Tries to make room for the gang by evicting lower-priority gangs and pods (see the type's remarks).</summary>
    /// <param name="job">The preempting gang's job.</param>
    /// <param name="priority">The gang's priority.</param>
    /// <param name="members">The members to place.</param>
    /// <param name="needed">How many must be placed.</param>
    /// <param name="reservations">Room promised to others (admitted gangs, higher-priority waiting gangs).</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    /// <returns>What was done.</returns>
    public async Task<GangPreemption> TryPreemptAsync(
        V1Alpha1LeptonJob job,
        int priority,
        IReadOnlyList<PodDemand> members,
        int needed,
        IReadOnlyCollection<GangReservation> reservations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(reservations);
        var self = new NamespacedName(job.Metadata.NamespaceProperty, job.Metadata.Name);
        var terminating = Terminating();
        if (terminating.Count > 0 && _planner.Plan(members, reservations, terminating).Placements.Count >= needed)
        {
            return new GangPreemption(
                GangPreemptionKind.Terminating,
                string.Create(CultureInfo.InvariantCulture, $"waiting for {terminating.Count} evicted {(terminating.Count == 1 ? "pod" : "pods")} to terminate; their room is enough"));
        }

        var units = Units(job.Metadata.Uid, priority, terminating);
        var freed = new HashSet<string>(terminating, StringComparer.Ordinal);
        var chosen = new List<VictimUnit>();
        foreach (var unit in units)
        {
            chosen.Add(unit);
            freed.UnionWith(unit.Pods.Select(p => p.Metadata.Uid));
            if (_planner.Plan(members, reservations, freed).Placements.Count >= needed)
            {
                break;
            }
        }

        if (chosen.Count == 0 || _planner.Plan(members, reservations, freed).Placements.Count < needed)
        {
            return GangPreemption.None;
        }

        // Reprieve: give back every unit the gang fits without, the last taken (highest priority, largest) first.
        for (var i = chosen.Count - 1; i >= 0 && chosen.Count > 1; i--)
        {
            var without = new HashSet<string>(terminating, StringComparer.Ordinal);
            foreach (var other in chosen.Where((_, j) => j != i))
            {
                without.UnionWith(other.Pods.Select(p => p.Metadata.Uid));
            }

            if (_planner.Plan(members, reservations, without).Placements.Count >= needed)
            {
                chosen.RemoveAt(i);
            }
        }

        var victims = string.Join(" and ", chosen.Select(u => u.Describe()));
        foreach (var unit in chosen)
        {
            foreach (var pod in unit.Pods)
            {
                var trial = await _evictor.EvictAsync(Demand(pod), dryRun: true, cancellationToken).ConfigureAwait(false);
                if (trial.Result is not (MoveResult.Evicted or MoveResult.Gone))
                {
                    var blocked = string.Create(
                        CultureInfo.InvariantCulture,
                        $"preempting {victims} would make room, but evicting pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} of {unit.Describe()} is refused ({trial.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "error"}: {trial.Message}); no pod was evicted");
                    await _events.RecordAsync(ObjectReferences.For(job), "Warning", GangEventRecorder.ReasonPreemptionBlocked, "Preempt", blocked, cancellationToken).ConfigureAwait(false);
                    await _events.RecordAsync(
                        unit.Regarding, "Normal", GangEventRecorder.ReasonPreemptionBlocked, "Preempt",
                        $"higher-priority job {self} could not preempt this: evicting pod {pod.Metadata.Name} is refused ({trial.Message}); nothing was evicted",
                        cancellationToken).ConfigureAwait(false);
                    return new GangPreemption(GangPreemptionKind.Blocked, blocked);
                }
            }
        }

        var refused = new List<string>();
        foreach (var unit in chosen)
        {
            foreach (var pod in unit.Pods)
            {
                var outcome = await _evictor.EvictAsync(Demand(pod), dryRun: false, cancellationToken).ConfigureAwait(false);
                if (outcome.Result is not (MoveResult.Evicted or MoveResult.Gone))
                {
                    refused.Add($"{pod.Metadata.Name} ({outcome.Message})");
                }
            }

            if (unit.Job is { } victimJob)
            {
                _ledger.Release(unit.Pods.Select(p => p.Metadata.Uid));
                _verdicts.Set(victimJob, new GangVerdict(
                    GangVerdictKind.Preempted,
                    LeptonJobConditionReasons.Preempted,
                    string.Create(CultureInfo.InvariantCulture, $"preempted by higher-priority job {self} (priority {priority} > {unit.Priority}): its {unit.Pods.Count} admitted {(unit.Pods.Count == 1 ? "replica was" : "replicas were")} evicted and are recreated gated"),
                    _time.GetUtcNow()));
            }

            await _events.RecordAsync(
                unit.Regarding, "Warning", GangEventRecorder.ReasonPreempted, "Evict",
                string.Create(CultureInfo.InvariantCulture, $"preempted by higher-priority job {self} (priority {priority} > {unit.Priority})"),
                cancellationToken).ConfigureAwait(false);
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"preempting {victims} (priority below {priority}) to make room");
        if (refused.Count > 0)
        {
            message += "; evictions refused after a passing dry run: " + string.Join(", ", refused);
        }

        await _events.RecordAsync(ObjectReferences.For(job), "Normal", GangEventRecorder.ReasonPreempting, "Preempt", message, cancellationToken).ConfigureAwait(false);
        return new GangPreemption(GangPreemptionKind.Evicted, message);
    }

    /// <summary>The candidate victim units, in the order they are taken: lowest priority, then fewest pods, then name.</summary>
    private List<VictimUnit> Units(string selfUid, int priority, HashSet<string> terminating)
    {
        var singles = new List<VictimUnit>();
        var gangs = new Dictionary<string, VictimUnit?>(StringComparer.Ordinal);
        foreach (var placed in _state.Pods())
        {
            if (terminating.Contains(placed.Pod.Uid))
            {
                continue;
            }

            var pod = _pods.Get(new NamespacedName(placed.Pod.Namespace, placed.Pod.Name));
            if (pod is null || pod.Metadata.Uid != placed.Pod.Uid || !JobPods.IsActive(pod))
            {
                continue;
            }

            var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            if (owner?.Uid == selfUid)
            {
                continue;
            }

            if (pod.Metadata.Labels?.ContainsKey(LeptonJobKeys.GangLabel) == true && owner is { Kind: V1Alpha1LeptonJob.KubeKind })
            {
                if (!gangs.ContainsKey(owner.Uid))
                {
                    gangs[owner.Uid] = GangUnit(pod.Metadata.NamespaceProperty, owner, priority);
                }

                continue;
            }

            if (PriorityOf(pod) >= priority || IsStaticOrDaemon(pod, owner))
            {
                continue;
            }

            var regarding = owner is { Kind: V1Alpha1LeptonJob.KubeKind }
                ? new V1ObjectReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = owner.Uid }
                : new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid };
            singles.Add(new VictimUnit(null, regarding, PriorityOf(pod), [pod]));
        }

        return [.. singles.Concat(gangs.Values.OfType<VictimUnit>())
            .OrderBy(u => u.Priority)
            .ThenBy(u => u.Pods.Count)
            .ThenBy(u => u.Regarding.NamespaceProperty + "/" + u.Regarding.Name, StringComparer.Ordinal)];
    }

    /// <summary>A gang as one unit: every active, ungated member of its job; null when any member is not below <paramref name="priority"/>.</summary>
    private VictimUnit? GangUnit(string ns, V1OwnerReference owner, int priority)
    {
        var members = _pods.ByIndex(CacheIndexers.OwnerUid, owner.Uid).Where(p => JobPods.IsActive(p) && !GangPods.IsGated(p)).ToList();
        if (members.Count == 0 || members.Any(p => PriorityOf(p) >= priority))
        {
            return null;
        }

        var regarding = new V1ObjectReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name, NamespaceProperty = ns, Uid = owner.Uid };
        return new VictimUnit(new NamespacedName(ns, owner.Name), regarding, members.Max(PriorityOf), [.. members.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)]);
    }

    private static int PriorityOf(V1Pod pod) => pod.Spec?.Priority ?? 0;

    private static bool IsStaticOrDaemon(V1Pod pod, V1OwnerReference? owner) =>
        owner?.Kind is "DaemonSet" or "Node" || pod.Metadata.Annotations?.ContainsKey("kubernetes.io/config.mirror") == true;

    private static PodDemand Demand(V1Pod pod) => new() { Uid = pod.Metadata.Uid, Name = pod.Metadata.Name, Namespace = pod.Metadata.NamespaceProperty };

    /// <summary>One victim: a whole gang (<paramref name="Job"/> set) or a single pod.</summary>
    private sealed record VictimUnit(NamespacedName? Job, V1ObjectReference Regarding, int Priority, IReadOnlyList<V1Pod> Pods)
    {
        public string Describe() => Job is { } job
            ? string.Create(CultureInfo.InvariantCulture, $"gang {job} ({Pods.Count} {(Pods.Count == 1 ? "pod" : "pods")})")
            : $"pod {Pods[0].Metadata.NamespaceProperty}/{Pods[0].Metadata.Name}";
    }
}
