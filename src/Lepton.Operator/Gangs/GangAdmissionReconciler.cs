using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Jobs;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Queueing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Gangs;

/// <summary>
/// Gang admission (DECISIONS.md 9), reconciled per Training job by the elected leader with one worker, so
/// admissions never race each other:
/// <list type="number">
/// <item><b>Timeout.</b> Members admitted together share a <c>lepton.ai/admitted-at</c> stamp (a batch). A batch not
/// wholly bound within <see cref="OperatorOptions.GangTimeout"/> is deleted, bound members included (no partial gang
/// runs; scheduling gates cannot be re-added on a real API server), its reservations are released, and the verdict
/// <c>GangTimeout</c> goes to the job; the job reconciler then recreates the members gated.</item>
/// <item><b>Repair.</b> An admitted member whose reserved room was taken before it was bound (by a pod outside any
/// gang) is re-reserved on a node that still has room (the annotation changes; the gate cannot come back).</item>
/// <item><b>Continue.</b> Gated members that already carry the stamp of an ungated batch (an admission interrupted by a
/// conflict or a failover between its two steps) get their gates lifted.</item>
/// <item><b>Admit.</b> Otherwise the gated members are placed on a what-if copy of the cluster state plus the ledger of
/// other gangs' unbound reservations (<see cref="GangPlanner"/>). When at least <c>minAvailable</c> minus the
/// members already admitted find room, every member that found room gets <c>lepton.ai/reserved-node</c> and the
/// batch stamp in one patch each (step 1), and only then loses the gate (step 2). Else the gang stays gated and the
/// verdict says why in plain words (<see cref="GangExplainer"/>); it is tried again after
/// <see cref="OperatorOptions.GangRetryInterval"/> and whenever a node changes or a pod frees room. After a
/// timeout the gang waits one <see cref="OperatorOptions.GangRetryInterval"/> before it is admitted again.</item>
/// </list>
/// Every patch carries the cached resourceVersion as precondition: a 409 requeues the job and nothing is lost.
/// </summary>
public sealed partial class GangAdmissionReconciler : IReconciler<V1Alpha1LeptonJob>
{
    /// <summary>How many times one admission plans the gangs ahead and itself while the cluster state keeps changing.</summary>
    private const int StablePlanAttempts = 3;

    private readonly IObjectCache<V1Alpha1LeptonJob> _jobs;
    private readonly IObjectCache<V1Pod> _pods;
    private readonly KubeObjectMapper _mapper;
    private readonly GangPlanner _planner;
    private readonly GangReservationLedger _ledger;
    private readonly GangVerdicts _verdicts;
    private readonly GangPreemptor _preemptor;
    private readonly GangEventRecorder _events;
    private readonly LeptonJobApi _api;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Members this replica deleted on a timeout, by UID, with when: until the pod cache shows the deletions, the
    // rest of a timed-out batch would look like a batch of its own and time out (and be reported) a second time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _timedOut = new(StringComparer.Ordinal);

    /// <summary>Creates the reconciler.</summary>
    /// <param name="jobs">The LeptonJob informer.</param>
    /// <param name="pods">The pod informer (an owner-UID index is added to its cache).</param>
    /// <param name="mapper">Maps pods to demands.</param>
    /// <param name="planner">The what-if placement.</param>
    /// <param name="ledger">The unbound reservations.</param>
    /// <param name="verdicts">Where decisions are recorded for the job reconciler.</param>
    /// <param name="preemptor">Makes room for a higher-priority gang by evicting lower-priority ones.</param>
    /// <param name="events">Records admissions and timeouts as Events on the job and its pods.</param>
    /// <param name="api">The API writes.</param>
    /// <param name="options">The operator options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GangAdmissionReconciler(
        IResourceInformer<V1Alpha1LeptonJob> jobs,
        IResourceInformer<V1Pod> pods,
        KubeObjectMapper mapper,
        GangPlanner planner,
        GangReservationLedger ledger,
        GangVerdicts verdicts,
        GangPreemptor preemptor,
        GangEventRecorder events,
        LeptonJobApi api,
        IOptions<OperatorOptions> options,
        TimeProvider time,
        ILogger<GangAdmissionReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(preemptor);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _jobs = jobs.Cache;
        _pods = pods.Cache;
        _pods.AddIndexer(CacheIndexers.OwnerUid, CacheIndexers.ByOwnerUid);
        _mapper = mapper;
        _planner = planner;
        _ledger = ledger;
        _verdicts = verdicts;
        _preemptor = preemptor;
        _events = events;
        _api = api;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var job = _jobs.Get(key);
        if (job is null || job.Metadata.DeletionTimestamp is not null || !JobPodBuilder.IsGang(job)
            || LeptonJobPhases.IsTerminal(job.Status?.Phase) || LeptonJobValidator.Validate(job).Count > 0)
        {
            return ReconcileResult.Done;
        }

        var now = _time.GetUtcNow();
        ForgetOldTimeouts(now);
        var members = JobPods.From(job, _pods.ByIndex(CacheIndexers.OwnerUid, job.Metadata.Uid))
            .Current.Values.Where(JobPods.IsActive).Where(p => !_timedOut.ContainsKey(p.Metadata.Uid))
            .OrderBy(p => JobPods.Index(p)).ToList();

        TimeSpan? pending = null;
        foreach (var batch in members.Where(p => GangPods.AdmittedAt(p) is not null && GangPods.ReservedNode(p) is not null).GroupBy(p => GangPods.AdmittedAt(p)!))
        {
            var lifted = batch.Where(p => !GangPods.IsGated(p)).ToList();
            if (lifted.Count == 0 || batch.All(IsBound))
            {
                continue;
            }

            var left = GangPods.TryParseAdmittedAt(batch.Key, out var at) ? at + _options.GangTimeout - now : _options.GangTimeout;
            if (left > TimeSpan.Zero)
            {
                pending = pending is { } p && p < left ? p : left;
                await RepairAsync(key, lifted.Where(p => !IsBound(p)).ToList(), now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await TimeOutAsync(key, batch.ToList(), cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var gated = members.Where(GangPods.IsGated).ToList();
        var ungatedStamps = members.Where(p => !GangPods.IsGated(p)).Select(GangPods.AdmittedAt).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var continuing = gated.Where(p => GangPods.AdmittedAt(p) is { } s && ungatedStamps.Contains(s) && GangPods.ReservedNode(p) is not null).ToList();
        if (continuing.Count > 0)
        {
            foreach (var pod in continuing)
            {
                await LiftGateAsync(pod, cancellationToken).ConfigureAwait(false);
            }

            LogContinued(_logger, key, continuing.Count);
            return ReconcileResult.After(pending ?? _options.GangTimeout);
        }

        if (gated.Count == 0)
        {
            return pending is { } wait ? ReconcileResult.After(wait) : ReconcileResult.Done;
        }

        if (_verdicts.Get(key) is { Kind: GangVerdictKind.TimedOut } timedOut && now - timedOut.At < _options.GangRetryInterval)
        {
            // Back off after a timeout: no admit-and-time-out loop, and the job's status shows why meanwhile.
            var backOff = timedOut.At + _options.GangRetryInterval - now;
            return ReconcileResult.After(pending is { } w && w < backOff ? w : backOff);
        }

        var admitted = members.Count - gated.Count;
        var needed = Math.Max(job.Spec.EffectiveMinAvailable() - admitted, 1);
        if (gated.Count < needed)
        {
            // The job reconciler has not created every member yet (or the cache has not shown them).
            return pending is { } wait ? ReconcileResult.After(wait) : ReconcileResult.Done;
        }

        var demands = new List<PodDemand>(gated.Count);
        foreach (var pod in gated)
        {
            try
            {
                demands.Add(_mapper.ToDemand(pod) with { ReservedNode = null });
            }
            catch (KubeObjectException e)
            {
                _verdicts.Set(key, new GangVerdict(GangVerdictKind.Waiting, LeptonJobConditionReasons.InsufficientResources, "a member cannot be read: " + e.Message, now));
                return ReconcileResult.After(_options.GangRetryInterval);
            }
        }

        // Admission order: the waiting gangs ahead of this one (higher priority, then created earlier) are placed
        // first on the what-if state, so that room which frees goes to them, whichever gang reconciles first.
        var priority = demands.Max(d => d.Priority);
        var ledger = _ledger.Current();
        var terminating = _preemptor.Terminating();
        // The gangs ahead and this one are planned against one version of the cluster state: if room freed while the
        // gangs ahead were placed (and found none), this gang must not take it before them, so plan again (bounded).
        List<GangReservation> reservations;
        List<string> ahead;
        GangPlan plan;
        for (var attempt = 1; ; attempt++)
        {
            var version = _planner.StateVersion;
            (reservations, ahead) = ReserveAhead(job, priority, ledger, terminating, now);
            plan = _planner.Plan(demands, reservations);
            if (_planner.StateVersion == version || attempt == StablePlanAttempts)
            {
                break;
            }
        }

        if (plan.Placements.Count < needed)
        {
            // A gang that would not fit even on the empty cluster waits for nothing: NoMatchingNodes, never reserved.
            var neverFits = _planner.PlanOnEmptyCluster(demands).Placements.Count < needed;
            var (reason, message) = GangExplainer.Explain(needed, plan.Unplaced.Count > 0 ? plan.Unplaced[0] : demands[0], plan, neverFits);
            if (!neverFits && ahead.Count > 0 && _planner.Plan(demands, ledger).Placements.Count >= needed)
            {
                message = string.Create(CultureInfo.InvariantCulture, $"the room there is goes first to {ahead.Count} {(ahead.Count == 1 ? "gang" : "gangs")} ahead in admission order: {string.Join(", ", ahead.Take(3))}");
            }

            var previous = _verdicts.Get(key);
            var retry = _options.GangRetryInterval;
            if (!neverFits && _options.GangPreemption)
            {
                var preemption = await _preemptor.TryPreemptAsync(job, priority, demands, needed, reservations, cancellationToken).ConfigureAwait(false);
                switch (preemption.Kind)
                {
                    case GangPreemptionKind.Evicted or GangPreemptionKind.Terminating:
                        _verdicts.Set(key, new GangVerdict(GangVerdictKind.Waiting, LeptonJobConditionReasons.Preempting, preemption.Kind == GangPreemptionKind.Evicted || previous?.Reason != LeptonJobConditionReasons.Preempting ? preemption.Message : previous.Message, now));
                        if (preemption.Kind == GangPreemptionKind.Evicted)
                        {
                            LogPreempting(_logger, key, preemption.Message);
                        }

                        return ReconcileResult.After(pending is { } pe && pe < retry ? pe : retry);
                    case GangPreemptionKind.Blocked:
                        _verdicts.Set(key, new GangVerdict(GangVerdictKind.Waiting, LeptonJobConditionReasons.PreemptionBlocked, preemption.Message, now));
                        if (previous?.Message != preemption.Message)
                        {
                            LogPreemptionBlocked(_logger, key, preemption.Message);
                        }

                        return ReconcileResult.After(pending is { } pb && pb < retry ? pb : retry);
                }
            }

            if (previous is { Kind: GangVerdictKind.Preempted } && !neverFits)
            {
                // Keep saying why the gang is back in the queue until it is admitted again.
                return ReconcileResult.After(pending is { } pp && pp < retry ? pp : retry);
            }

            _verdicts.Set(key, new GangVerdict(GangVerdictKind.Waiting, reason, message, now));
            if (previous?.Message != message)
            {
                LogWaiting(_logger, key, message);
            }

            return ReconcileResult.After(pending is { } p && p < retry ? p : retry);
        }

        await AdmitAsync(key, gated, plan, now, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.After(pending is { } q && q < _options.GangTimeout ? q : _options.GangTimeout);
    }

    /// <summary>
    /// Maps a pod event to the gangs to reconsider: the gang of a member pod; every waiting gang when the pod
    /// freed room (it finished, or a bound pod was deleted); every admitted gang when the pod took room (it was
    /// bound), since that room may have been reserved.
    /// </summary>
    /// <param name="e">The pod event.</param>
    /// <param name="verdicts">The verdicts (for the waiting gangs).</param>
    /// <returns>The job keys.</returns>
    public static IEnumerable<NamespacedName> AffectedGangs(ResourceEvent<V1Pod> e, GangVerdicts verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var keys = new List<NamespacedName>();
        if (e.Object.Metadata?.Labels?.ContainsKey(LeptonJobKeys.GangLabel) == true)
        {
            keys.AddRange(LeptonJobReconciler.OwningJob(e));
        }

        var freed = e.Type switch
        {
            ResourceEventType.Deleted => !string.IsNullOrEmpty(e.Object.Spec?.NodeName) || GangPods.IsReservedUnbound(e.Object),
            ResourceEventType.Updated => Sync.ClusterStateSync.IsTerminal(e.NewObject!) && !Sync.ClusterStateSync.IsTerminal(e.OldObject!),
            _ => false,
        };
        if (freed)
        {
            keys.AddRange(verdicts.Waiting());
        }

        var taken = e.Type != ResourceEventType.Deleted && !string.IsNullOrEmpty(e.NewObject?.Spec?.NodeName) && string.IsNullOrEmpty(e.OldObject?.Spec?.NodeName);
        if (taken)
        {
            keys.AddRange(verdicts.Admitted());
        }

        return keys;
    }

    private static bool IsBound(V1Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    /// <summary>
    /// The reservations to plan against: the ledger's, plus the what-if placements of up to
    /// <see cref="OperatorOptions.GangAdmissionLookahead"/> waiting gangs ahead of <paramref name="job"/> in admission
    /// order (priority descending, then creation time, then namespace/name), each placed in that order with the room
    /// of terminating pods counted free; a gang ahead that does not fit holds nothing back.
    /// </summary>
    private (List<GangReservation> Reservations, List<string> Ahead) ReserveAhead(
        V1Alpha1LeptonJob job, int priority, IReadOnlyList<GangReservation> ledger, HashSet<string> terminating, DateTimeOffset now)
    {
        var reservations = new List<GangReservation>(ledger);
        var names = new List<string>();
        if (_options.GangAdmissionLookahead == 0)
        {
            return (reservations, names);
        }

        var self = (Priority: priority, Created: job.Metadata.CreationTimestamp ?? DateTime.MaxValue, Key: job.Metadata.NamespaceProperty + "/" + job.Metadata.Name, Duration: OrderKey(job));
        var candidates = new List<((int Priority, DateTime Created, string Key, double Duration) Order, List<PodDemand> Demands, int Needed)>();
        foreach (var other in _jobs.List())
        {
            if (other.Metadata.Uid == job.Metadata.Uid || other.Metadata.DeletionTimestamp is not null || !JobPodBuilder.IsGang(other)
                || LeptonJobPhases.IsTerminal(other.Status?.Phase))
            {
                continue;
            }

            var otherKey = new NamespacedName(other.Metadata.NamespaceProperty, other.Metadata.Name);
            if (_verdicts.Get(otherKey) is { Kind: GangVerdictKind.TimedOut } t && now - t.At < _options.GangRetryInterval)
            {
                continue;
            }

            var active = _pods.ByIndex(CacheIndexers.OwnerUid, other.Metadata.Uid).Where(JobPods.IsActive).ToList();
            var gated = active.Where(GangPods.IsGated).ToList();
            var needed = Math.Max(other.Spec.EffectiveMinAvailable() - (active.Count - gated.Count), 1);
            if (gated.Count < needed)
            {
                continue;
            }

            var order = (Priority: gated.Max(p => p.Spec?.Priority ?? 0), Created: other.Metadata.CreationTimestamp ?? DateTime.MaxValue, Key: otherKey.ToString(), Duration: OrderKey(other));

            var demands = new List<PodDemand>(gated.Count);
            try
            {
                demands.AddRange(gated.OrderBy(p => JobPods.Index(p)).Select(p => _mapper.ToDemand(p) with { ReservedNode = null }));
            }
            catch (KubeObjectException)
            {
                continue;
            }

            candidates.Add((order, demands, needed));
        }

        // One admission order, the core's (the timeline simulator measures the same PendingQueue): priority first, then
        // (under SjfPredicted) promoted-by-the-guard, then the order key, then creation time, then namespace/name.
        var sjf = _options.QueueOrder == GangQueueOrder.SjfPredicted;
        var queue = new PendingQueue<string>(sjf ? new StarvationGuard(_options.StarvationBound, _options.StarvationMultiple) : null, priorityFirst: true, StringComparer.Ordinal);
        var all = candidates.Select(c => c.Order).Append(self).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var o = all[i];
            queue.Add(o.Key, new QueueKey(o.Priority, new DateTimeOffset(DateTime.SpecifyKind(o.Created, DateTimeKind.Utc)), sjf ? o.Duration : 0, i));
        }

        queue.Promote(now);
        var position = queue.InOrder().Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var mine = position[self.Key];
        foreach (var (order, demands, needed) in candidates
            .Where(c => position[c.Order.Key] < mine)
            .OrderBy(c => position[c.Order.Key])
            .Take(_options.GangAdmissionLookahead))
        {
            var plan = _planner.Plan(demands, reservations, terminating);
            if (plan.Placements.Count < needed)
            {
                continue;
            }

            reservations.AddRange(plan.Placements.Select(p => new GangReservation(p.Pod, p.NodeName, now)));
            names.Add(sjf && double.IsFinite(order.Duration)
                ? string.Create(CultureInfo.InvariantCulture, $"{order.Key} (priority {order.Priority}, predicted {Prediction.DurationText.Format(order.Duration)})")
                : string.Create(CultureInfo.InvariantCulture, $"{order.Key} (priority {order.Priority})"));
        }

        return (reservations, names);
    }

    /// <summary>The job's order key under <see cref="GangQueueOrder.SjfPredicted"/>: its <c>status.predictedDuration</c> in seconds, or unknown.</summary>
    private static double OrderKey(V1Alpha1LeptonJob job) =>
        GoDuration.TryParse(job.Status?.PredictedDuration, out var d) && d > TimeSpan.Zero ? d.TotalSeconds : double.PositiveInfinity;

    /// <summary>
    /// Moves the reservation of admitted, unbound members whose reserved room was taken meanwhile (a pod outside
    /// any gang bound there before them) to a node that still has room: annotations can change, gates cannot come
    /// back, and the extender's filter follows the annotation. When no room is left the batch waits for its timeout.
    /// </summary>
    private async Task RepairAsync(NamespacedName key, List<V1Pod> unbound, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (unbound.Count == 0)
        {
            return;
        }

        var reservations = _ledger.Current();
        var broken = new List<(V1Pod Pod, PodDemand Demand)>();
        foreach (var pod in unbound)
        {
            PodDemand demand;
            try
            {
                demand = _mapper.ToDemand(pod) with { ReservedNode = null };
            }
            catch (KubeObjectException)
            {
                continue;
            }

            if (GangPods.ReservedNode(pod) is { } node && !_planner.StillFits(demand, node, reservations))
            {
                broken.Add((pod, demand));
            }
        }

        if (broken.Count == 0)
        {
            return;
        }

        var plan = _planner.Plan([.. broken.Select(b => b.Demand)], reservations);
        if (plan.Unplaced.Count > 0)
        {
            return;
        }

        for (var i = 0; i < broken.Count; i++)
        {
            var (pod, _) = broken[i];
            var placement = plan.Placements[i];
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = pod.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [LeptonJobKeys.ReservedNodeAnnotation] = placement.NodeName },
                },
            };
            await _api.PatchPodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, cancellationToken).ConfigureAwait(false);
            _ledger.Add(new NamespacedName(pod.Metadata.NamespaceProperty, pod.Metadata.Name), new GangReservation(placement.Pod, placement.NodeName, now));
            LogRepaired(_logger, key, pod.Metadata.Name, GangPods.ReservedNode(pod) ?? string.Empty, placement.NodeName);
        }
    }

    private async Task AdmitAsync(NamespacedName key, List<V1Pod> gated, GangPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stamp = GangPods.FormatAdmittedAt(now);
        var byUid = gated.ToDictionary(p => p.Metadata.Uid, StringComparer.Ordinal);
        var annotated = new List<V1Pod>(plan.Placements.Count);

        // Step 1: persist every member's reservation while all of them are still gated.
        foreach (var placement in plan.Placements)
        {
            var pod = byUid[placement.Pod.Uid];
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = pod.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject
                    {
                        [LeptonJobKeys.ReservedNodeAnnotation] = placement.NodeName,
                        [LeptonJobKeys.AdmittedAtAnnotation] = stamp,
                    },
                },
            };
            var updated = await _api.PatchPodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, cancellationToken).ConfigureAwait(false);
            _ledger.Add(new NamespacedName(pod.Metadata.NamespaceProperty, pod.Metadata.Name), new GangReservation(placement.Pod, placement.NodeName, now));
            annotated.Add(updated);
        }

        // Step 2: lift the gates; from here kube-scheduler may place them, and the filter honours the reservations.
        foreach (var pod in annotated)
        {
            await LiftGateAsync(pod, cancellationToken).ConfigureAwait(false);
        }

        var nodes = string.Join(", ", plan.Placements.GroupBy(p => p.NodeName).Select(g => g.Count() == 1 ? g.Key : string.Create(CultureInfo.InvariantCulture, $"{g.Key} (x{g.Count()})")));
        var message = string.Create(CultureInfo.InvariantCulture, $"{plan.Placements.Count} {(plan.Placements.Count == 1 ? "replica" : "replicas")} admitted together, reserved on {nodes}; waiting to be bound");
        _verdicts.Set(key, new GangVerdict(GangVerdictKind.Admitted, LeptonJobConditionReasons.GangAdmitted, message, now));
        LogAdmitted(_logger, key, plan.Placements.Count, nodes);
        if (_jobs.Get(key) is { } job)
        {
            await _events.RecordAsync(ObjectReferences.For(job), EventTypes.Normal, GangEventRecorder.ReasonAdmitted, "Admit", "Gang admitted: " + message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var placement in plan.Placements)
        {
            var pod = byUid[placement.Pod.Uid];
            await _events.RecordAsync(ObjectReferences.For(pod), EventTypes.Normal, GangEventRecorder.ReasonAdmitted, "Admit", $"Admitted with its gang {key}; reserved on node {placement.NodeName}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LiftGateAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var gates = new JsonArray();
        foreach (var gate in pod.Spec?.SchedulingGates ?? [])
        {
            if (gate.Name != LeptonJobKeys.GangSchedulingGate)
            {
                gates.Add(new JsonObject { ["name"] = gate.Name });
            }
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = pod.Metadata.ResourceVersion },
            ["spec"] = new JsonObject { ["schedulingGates"] = gates },
        };
        await _api.PatchPodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, cancellationToken).ConfigureAwait(false);
    }

    private void ForgetOldTimeouts(DateTimeOffset now)
    {
        // Deletions show in the cache within seconds; an hour bounds the set without relying on it.
        foreach (var (uid, at) in _timedOut)
        {
            if (now - at > TimeSpan.FromHours(1))
            {
                _timedOut.TryRemove(uid, out _);
            }
        }
    }

    private async Task TimeOutAsync(NamespacedName key, List<V1Pod> batch, CancellationToken cancellationToken)
    {
        var unbound = batch.Where(p => !IsBound(p)).ToList();
        var now = _time.GetUtcNow();
        foreach (var pod in batch)
        {
            _timedOut[pod.Metadata.Uid] = now;
            await _api.DeletePodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }

        _ledger.Release(batch.Select(p => p.Metadata.Uid));
        var which = string.Join(", ", unbound.Take(5).Select(p => $"{p.Metadata.Name} (reserved on {GangPods.ReservedNode(p)})"));
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{unbound.Count} of {batch.Count} admitted replicas were not bound within {GoDuration.Format(_options.GangTimeout)}: {which}; the gang was deleted and is recreated gated, its reservations released");
        _verdicts.Set(key, new GangVerdict(GangVerdictKind.TimedOut, LeptonJobConditionReasons.GangTimeout, message, _time.GetUtcNow()));
        LogTimedOut(_logger, key, message);
        if (_jobs.Get(key) is { } job)
        {
            await _events.RecordAsync(ObjectReferences.For(job), EventTypes.Warning, GangEventRecorder.ReasonTimeout, "Timeout", message, cancellationToken).ConfigureAwait(false);
        }
    }
}
