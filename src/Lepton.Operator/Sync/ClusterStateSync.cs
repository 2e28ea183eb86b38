using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers.Informers;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Sync;

/// <summary>
/// Keeps the scheduling core's <see cref="ClusterState"/> in step with the Node and Pod informers, on every
/// replica (leader or not), so that each replica's extender filters with its own up-to-date cache:
/// <list type="bullet">
/// <item>a node event upserts the node's <see cref="Lepton.Scheduling.Inventory.NodeInventory"/>; a deleted node is removed;</item>
/// <item>a bound, non-terminal pod is confirmed on its node (DECISIONS.md 8), whatever its scheduler: pods of
/// other schedulers use capacity too;</item>
/// <item>a pod that finished (<c>Succeeded</c>/<c>Failed</c>) or was deleted is removed; an unbound pod is left
/// alone (an assumption of the extender's <c>/bind</c> waits for its confirmation or expiry).</item>
/// </list>
/// A node or pod Lepton cannot map (a malformed quantity) is logged and skipped, never allowed to stop the
/// informer. Handlers run on the informers' loops and only take the cluster state's lock.
/// </summary>
public sealed partial class ClusterStateSync : IDisposable
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClusterState _state;
    private readonly KubeObjectMapper _mapper;
    private readonly IResourceInformer<V1Node> _nodes;
    private readonly IResourceInformer<V1Pod> _pods;
    private readonly IClusterStateReadiness _readiness;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _subscriptions = [];
    private long _skipped;

    /// <summary>Creates the sync; call <see cref="Start"/> to subscribe.</summary>
    /// <param name="state">The cluster state to fill.</param>
    /// <param name="mapper">Maps nodes and pods.</param>
    /// <param name="nodes">The node informer.</param>
    /// <param name="pods">The pod informer.</param>
    /// <param name="readiness">Marked ready once both informers have synced and their content is applied.</param>
    /// <param name="logger">The logger.</param>
    public ClusterStateSync(
        ClusterState state,
        KubeObjectMapper mapper,
        IResourceInformer<V1Node> nodes,
        IResourceInformer<V1Pod> pods,
        IClusterStateReadiness readiness,
        ILogger<ClusterStateSync> logger)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(logger);
        _state = state;
        _mapper = mapper;
        _nodes = nodes;
        _pods = pods;
        _readiness = readiness;
        _logger = logger;
    }

    /// <summary>Gets a task that completes once the cluster state has synced and the extender was marked ready.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Gets how many node or pod events were skipped because the object could not be mapped.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Subscribes to both informers (idempotent). Objects already cached are applied at once.</summary>
    public void Start()
    {
        lock (_subscriptions)
        {
            if (_subscriptions.Count > 0)
            {
                return;
            }

            // Nodes first, so that pods replayed from an already-synced cache land on known nodes; ahead of
            // every controller's handler, so that a reconcile triggered by an event reads a state that has it.
            _subscriptions.Add(_nodes.SubscribeFirst(OnNode));
            _subscriptions.Add(_pods.SubscribeFirst(OnPod));
        }
    }

    /// <summary>
    /// Waits until both informers have synced (their first LIST is applied to the cluster state through the
    /// handlers), then marks the extender ready (DECISIONS.md 10).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once ready.</returns>
    public async Task WaitForSyncAndMarkReadyAsync(CancellationToken cancellationToken)
    {
        Start();
        await Task.WhenAll(_nodes.ReadyAsync(cancellationToken), _pods.ReadyAsync(cancellationToken)).ConfigureAwait(false);
        _readiness.MarkReady();
        _synced.TrySetResult();
        LogSynced(_logger, _state.NodeCount, _state.PodCount);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_subscriptions)
        {
            foreach (var s in _subscriptions)
            {
                s.Dispose();
            }

            _subscriptions.Clear();
        }
    }

    /// <summary>Whether a pod has finished and no longer holds resources.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True for phase Succeeded or Failed.</returns>
    public static bool IsTerminal(V1Pod pod) => pod?.Status?.Phase is "Succeeded" or "Failed";

    private void OnNode(ResourceEvent<V1Node> e)
    {
        if (e.Type == ResourceEventType.Deleted)
        {
            _state.RemoveNode(e.Object.Metadata.Name);
            return;
        }

        try
        {
            var name = e.Object.Metadata.Name;
            var known = _state.TryGetNode(name, out _);
            _state.UpsertNode(_mapper.ToInventory(e.Object));
            if (!known)
            {
                ReconfirmWithoutCards(name);
            }
        }
        catch (KubeObjectException ex)
        {
            Interlocked.Increment(ref _skipped);
            LogUnmappableNode(_logger, e.Object.Metadata?.Name, ex.Message);
        }
    }

    /// <summary>
    /// Pods confirmed before their node was known hold no cards (there were none to choose from); now that
    /// the node is here, confirm them again so that their GPUs are taken card by card.
    /// </summary>
    private void ReconfirmWithoutCards(string node)
    {
        foreach (var placed in _state.PodsOn(node))
        {
            if (placed.Phase == PlacementPhase.Bound && placed.Pod.NeedsGpu && placed.Cards.IsDefaultOrEmpty)
            {
                _state.Remove(placed.Pod.Uid);
                _state.Confirm(placed.Pod, node);
            }
        }
    }

    private void OnPod(ResourceEvent<V1Pod> e)
    {
        if (e.OldObject?.Metadata?.Uid is { } oldUid && e.NewObject?.Metadata?.Uid is { } newUid && oldUid != newUid)
        {
            // Deleted and recreated under the same name between two observations.
            _state.Remove(oldUid);
        }

        if (e.Type == ResourceEventType.Deleted)
        {
            if (e.Object.Metadata?.Uid is { } uid)
            {
                _state.Remove(uid);
            }

            return;
        }

        var pod = e.Object;
        if (IsTerminal(pod))
        {
            _state.Remove(pod.Metadata.Uid);
            return;
        }

        var node = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(node))
        {
            return;
        }

        if (e.OldObject is { } old && IsUnchangedPlacement(old, pod))
        {
            return;
        }

        try
        {
            _state.Confirm(_mapper.ToDemand(pod), node);
        }
        catch (KubeObjectException ex)
        {
            Interlocked.Increment(ref _skipped);
            LogUnmappablePod(_logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, ex.Message);
        }
    }

    /// <summary>
    /// A status-only update of a bound pod (phase Pending → Running, conditions): nothing scheduling reads
    /// changed and the pod is already accounted there, so mapping it again is skipped.
    /// </summary>
    private bool IsUnchangedPlacement(V1Pod old, V1Pod pod)
        => string.Equals(old.Spec?.NodeName, pod.Spec?.NodeName, StringComparison.Ordinal)
            && !IsTerminal(old)
            && SameAnnotations(old, pod)
            && SameResources(old.Spec?.Containers, pod.Spec?.Containers)
            && SameResources(old.Spec?.InitContainers, pod.Spec?.InitContainers)
            && _state.TryGetPod(pod.Metadata.Uid, out var placed)
            && placed.Phase == PlacementPhase.Bound
            && string.Equals(placed.NodeName, pod.Spec?.NodeName, StringComparison.Ordinal);

    private static bool SameResources(IList<V1Container>? a, IList<V1Container>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            if (!SameQuantities(a![i].Resources?.Requests, b![i].Resources?.Requests) || !SameQuantities(a[i].Resources?.Limits, b[i].Resources?.Limits))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameQuantities(IDictionary<string, ResourceQuantity>? x, IDictionary<string, ResourceQuantity>? y)
    {
        if (x is null || y is null)
        {
            return (x?.Count ?? 0) == (y?.Count ?? 0);
        }

        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && string.Equals(v?.ToString(), kv.Value?.ToString(), StringComparison.Ordinal));
    }

    private static bool SameAnnotations(V1Pod a, V1Pod b)
    {
        var x = a.Metadata?.Annotations;
        var y = b.Metadata?.Annotations;
        if (x is null || y is null)
        {
            return (x?.Count ?? 0) == (y?.Count ?? 0);
        }

        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
