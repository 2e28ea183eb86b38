using System.Collections.Concurrent;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Gangs;

/// <summary>
/// The reservations of admitted gang members that are not bound yet: room other gangs must not be promised.
/// Derived from the pod cache (ungated pods with <c>lepton.ai/reserved-node</c> and no node, see
/// <see cref="GangPods.IsReservedUnbound"/>), so every replica and a newly elected leader see the same ledger;
/// plus the leader's own reservations of the last moments whose pod updates the cache has not shown yet. A
/// reservation ends when the member is bound (the cluster state then accounts the pod itself), finishes, is
/// deleted, or outlives <see cref="OperatorOptions.GangTimeout"/>.
/// </summary>
/// <remarks>
/// With <see cref="OperatorOptions.AccountReservationsInClusterState"/> the ledger also assumes each reservation
/// in the <see cref="ClusterState"/> (under the member's UID, as <c>/bind</c> would), so that the extender's filter
/// refuses the reserved room to every other pod; <see cref="Maintain"/> re-asserts reservations that
/// <c>ForgetExpired</c> dropped, and assumes those other replicas' caches show (within one
/// <see cref="OperatorOptions.ForgetInterval"/>). On by default; the extender fits a member to its reserved node as if its own reserved room were free.
/// </remarks>
public sealed class GangReservationLedger : Sync.IClusterStateMaintenance
{
    private readonly IObjectCache<V1Pod> _pods;
    private readonly KubeObjectMapper _mapper;
    private readonly ClusterState _state;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (NamespacedName Key, GangReservation Reservation)> _recent = new(StringComparer.Ordinal);

    /// <summary>Creates the ledger and adds its index to the pod cache.</summary>
    /// <param name="pods">The pod informer.</param>
    /// <param name="mapper">Maps pods to demands.</param>
    /// <param name="state">The cluster state.</param>
    /// <param name="options">The operator options.</param>
    /// <param name="time">The clock.</param>
    public GangReservationLedger(IResourceInformer<V1Pod> pods, KubeObjectMapper mapper, ClusterState state, IOptions<OperatorOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _pods = pods.Cache;
        _pods.AddIndexer(GangPods.ReservedUnboundIndex, GangPods.ByReservedUnbound);
        _mapper = mapper;
        _state = state;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Records reservations just written (before the pod cache shows them).</summary>
    /// <param name="key">The member pod's key.</param>
    /// <param name="reservation">The reservation.</param>
    public void Add(NamespacedName key, GangReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        _recent[reservation.Pod.Uid] = (key, reservation);
        if (_options.AccountReservationsInClusterState)
        {
            Assume(reservation);
        }
    }

    /// <summary>Forgets reservations (their batch was deleted).</summary>
    /// <param name="uids">The member UIDs.</param>
    public void Release(IEnumerable<string> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        foreach (var uid in uids)
        {
            _recent.TryRemove(uid, out _);
            if (_options.AccountReservationsInClusterState && _state.TryGetPod(uid, out var placed) && placed.Phase == PlacementPhase.Assumed)
            {
                _state.Remove(uid);
            }
        }
    }

    /// <summary>The reservations in force now, one per member UID.</summary>
    /// <returns>The reservations.</returns>
    public IReadOnlyList<GangReservation> Current()
    {
        var result = new Dictionary<string, GangReservation>(StringComparer.Ordinal);
        foreach (var pod in _pods.ByIndex(GangPods.ReservedUnboundIndex, GangPods.ReservedUnboundValue))
        {
            if (ToReservation(pod) is { } r)
            {
                result[r.Pod.Uid] = r;
            }
        }

        var now = _time.GetUtcNow();
        foreach (var (uid, (key, reservation)) in _recent)
        {
            if (!StillInFlight(uid, key, reservation, now))
            {
                // The cache shows the reservation (it is the truth from here), or the member moved on.
                _recent.TryRemove(uid, out _);
                continue;
            }

            result[uid] = reservation;
        }

        return [.. result.Values];
    }

    /// <summary>Re-asserts reservations in the cluster state that <c>ForgetExpired</c> dropped (only with <see cref="OperatorOptions.AccountReservationsInClusterState"/>).</summary>
    public void Maintain()
    {
        if (!_options.AccountReservationsInClusterState)
        {
            return;
        }

        foreach (var reservation in Current())
        {
            Assume(reservation);
        }
    }

    /// <summary>
    /// Whether a reservation this leader just wrote still needs counting from memory: the cache has not caught up
    /// yet (it shows the pod gated, on another reserved node, or not at all), or it shows the pod bound but the
    /// cluster state has not accounted the binding yet (the sync handler runs right after the cache is updated).
    /// </summary>
    private bool StillInFlight(string uid, NamespacedName key, GangReservation reservation, DateTimeOffset now)
    {
        if (now - reservation.At > _options.GangTimeout)
        {
            return false;
        }

        var pod = _pods.Get(key);
        if (pod is null)
        {
            return true;
        }

        if (pod.Metadata.Uid != uid || !Jobs.JobPods.IsActive(pod))
        {
            return false;
        }

        return string.IsNullOrEmpty(pod.Spec?.NodeName)
            ? GangPods.IsGated(pod) || GangPods.ReservedNode(pod) != reservation.NodeName
            : !_state.TryGetPod(uid, out _);
    }

    private GangReservation? ToReservation(V1Pod pod)
    {
        var node = GangPods.ReservedNode(pod);
        if (node is null)
        {
            return null;
        }

        PodDemand demand;
        try
        {
            demand = _mapper.ToDemand(pod);
        }
        catch (KubeObjectException)
        {
            return null;
        }

        var at = GangPods.TryParseAdmittedAt(GangPods.AdmittedAt(pod), out var t) ? t : _time.GetUtcNow();
        return new GangReservation(demand, node, at);
    }

    private void Assume(GangReservation reservation)
    {
        if (_state.TryGetPod(reservation.Pod.Uid, out var placed))
        {
            if (placed.Phase != PlacementPhase.Assumed || placed.NodeName == reservation.NodeName)
            {
                return;
            }

            // Repair moved the reservation: the room on the old node is no longer the member's.
            _state.Remove(reservation.Pod.Uid);
        }

        _state.Assume(reservation.Pod, reservation.NodeName, (node, cards) => Scheduling.Fit.CardSelection.Select(reservation.Pod, node.CardFree, Scheduling.Fit.CardSelection.ShareRule.BestFit, cards));
    }
}
