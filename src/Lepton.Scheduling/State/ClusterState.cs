using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;

namespace Lepton.Scheduling.State;

/// <summary>
/// The one cluster state of a Lepton process: nodes and the pods placed on them, card by card,
/// behind the assume / confirm / forget contract of DECISIONS.md 8.
/// </summary>
/// <remarks>
/// <para>One writer path: every change happens under one lock and replaces a node's immutable
/// <see cref="NodeState"/>. Readers (filter, prioritize, the simulator) take no lock: they read
/// the published node table, whose entries are each consistent.</para>
/// <para><see cref="Assume"/> re-checks fit under the lock, so two concurrent binds can never
/// over-allocate a card. <see cref="Confirm"/> records what the cluster says, even when that
/// overcommits Lepton's accounting (the cluster is the truth; <see cref="Overcommitted"/> counts it).</para>
/// </remarks>
public sealed class ClusterState
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ClusterStateOptions _options;
    private readonly Dictionary<string, PlacedPod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _podsByNode = new(StringComparer.Ordinal);
    private readonly Queue<PodDemand> _recent = new();
    private NodeTable _table = new(new Dictionary<string, int>(StringComparer.Ordinal), [], new ClusterScale(0, 0));
    private long _version;
    private long _overcommitted;

    /// <summary>Creates an empty cluster state.</summary>
    /// <param name="time">The clock for assumption timeouts.</param>
    /// <param name="options">Options; defaults when null.</param>
    public ClusterState(TimeProvider? time = null, ClusterStateOptions? options = null)
    {
        _time = time ?? TimeProvider.System;
        _options = options ?? new ClusterStateOptions();
    }

    /// <summary>Raised after every change, outside the lock (readiness, metrics).</summary>
    public event Action? Changed;

    /// <summary>The current node table: every node's latest state, read without locking.</summary>
    public ReadOnlySpan<NodeState> Nodes => Volatile.Read(ref _table).Slots;

    /// <summary>
    /// The published node table: name → slot index and each slot's latest state. A new table is
    /// published when nodes come or go; placements update slots of the current table in place,
    /// so a slot index resolved against a table stays valid while that table is current.
    /// </summary>
    public NodeTable Table => Volatile.Read(ref _table);

    /// <summary>The number of nodes.</summary>
    public int NodeCount => Volatile.Read(ref _table).Slots.Length;

    /// <summary>The cluster's normalisers (largest node CPU and GPU).</summary>
    public ClusterScale Scale => Volatile.Read(ref _table).Scale;

    /// <summary>A number that grows with every change.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>How many confirmed placements did not fit Lepton's accounting (drift between Lepton and the cluster).</summary>
    public long Overcommitted => Interlocked.Read(ref _overcommitted);

    /// <summary>The number of pods accounted (assumed or bound).</summary>
    public int PodCount
    {
        get
        {
            lock (_gate)
            {
                return _pods.Count;
            }
        }
    }

    /// <summary>Looks a node up by name.</summary>
    /// <param name="name">The node name.</param>
    /// <param name="node">The node's current state.</param>
    /// <returns>True when the node is known.</returns>
    public bool TryGetNode(string name, [NotNullWhen(true)] out NodeState? node)
    {
        var table = Volatile.Read(ref _table);
        if (name is not null && table.Index.TryGetValue(name, out var i))
        {
            node = table.StateAt(i);
            return true;
        }

        node = null;
        return false;
    }

    /// <summary>Looks a placed pod up by UID.</summary>
    /// <param name="uid">The pod UID.</param>
    /// <param name="placement">The placement.</param>
    /// <returns>True when the pod is accounted.</returns>
    public bool TryGetPod(string uid, [NotNullWhen(true)] out PlacedPod? placement)
    {
        lock (_gate)
        {
            return _pods.TryGetValue(uid, out placement);
        }
    }

    /// <summary>The pods accounted on a node (a copy).</summary>
    /// <param name="nodeName">The node name.</param>
    /// <returns>The placements.</returns>
    public IReadOnlyList<PlacedPod> PodsOn(string nodeName)
    {
        lock (_gate)
        {
            if (!_podsByNode.TryGetValue(nodeName, out var uids))
            {
                return [];
            }

            return [.. uids.Select(u => _pods[u])];
        }
    }

    /// <summary>Every accounted pod (a copy).</summary>
    /// <returns>The placements.</returns>
    public IReadOnlyList<PlacedPod> Pods()
    {
        lock (_gate)
        {
            return [.. _pods.Values];
        }
    }

    /// <summary>The most recently placed pods, oldest first (for the live typical-task mix).</summary>
    /// <returns>A copy of the window.</returns>
    public IReadOnlyList<PodDemand> RecentPods()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }

    /// <summary>Adds a node or replaces its inventory, keeping the pods accounted on it.</summary>
    /// <param name="inventory">The node.</param>
    public void UpsertNode(NodeInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        lock (_gate)
        {
            var version = ++_version;
            var table = _table;
            var pods = _podsByNode.TryGetValue(inventory.Name, out var uids)
                ? uids.Select(u => _pods[u]).Select(p => (p.Pod, p.Cards.IsDefault ? [] : p.Cards.ToArray()))
                : [];
            if (table.Index.TryGetValue(inventory.Name, out var i))
            {
                var current = table.Slots[i];
                var next = ReferenceEquals(current.Inventory, inventory) || current.Inventory == inventory
                    ? current
                    : NodeState.Rebuild(inventory, pods, version);
                Volatile.Write(ref table.Slots[i], next);
                if (current.Inventory.CpuMilli != inventory.CpuMilli || current.Inventory.GpuCards != inventory.GpuCards)
                {
                    Publish(table.Index, table.Slots);
                }
            }
            else
            {
                var index = new Dictionary<string, int>(table.Index, StringComparer.Ordinal) { [inventory.Name] = table.Slots.Length };
                var slots = new NodeState[table.Slots.Length + 1];
                table.Slots.CopyTo(slots, 0);
                slots[^1] = NodeState.Rebuild(inventory, pods, version);
                Publish(index, slots);
            }
        }

        Changed?.Invoke();
    }

    /// <summary>Removes a node. Its pods stay accounted and reappear if the node comes back.</summary>
    /// <param name="name">The node name.</param>
    /// <returns>True when the node was known.</returns>
    public bool RemoveNode(string name)
    {
        lock (_gate)
        {
            var table = _table;
            if (!table.Index.ContainsKey(name))
            {
                return false;
            }

            _version++;
            var slots = table.Slots.Where(s => s.Name != name).ToArray();
            var index = new Dictionary<string, int>(slots.Length, StringComparer.Ordinal);
            for (var i = 0; i < slots.Length; i++)
            {
                index[slots[i].Name] = i;
            }

            Publish(index, slots);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Assumes a placement for <c>/bind</c>: re-checks fit against the current state atomically,
    /// chooses cards (the pod's recorded cards when valid, else <paramref name="selectCards"/>)
    /// and accounts the pod at once, so the next filter sees the capacity gone.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="selectCards">The policy's card rule.</param>
    /// <returns>Success with the placement, or the reason it no longer fits.</returns>
    public AssumeOutcome Assume(PodDemand pod, string nodeName, CardSelector selectCards)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(selectCards);
        PlacedPod placed;
        lock (_gate)
        {
            if (_pods.TryGetValue(pod.Uid, out var existing))
            {
                return existing.NodeName == nodeName
                    ? new AssumeOutcome(true, string.Empty, existing)
                    : AssumeOutcome.Fail($"pod {pod.Key} is already placed on node {existing.NodeName}");
            }

            var table = _table;
            if (!table.Index.TryGetValue(nodeName, out var i))
            {
                return AssumeOutcome.Fail($"node {nodeName} is not in Lepton's node cache");
            }

            var node = table.Slots[i];
            var fit = FitChecker.Explain(pod, node);
            if (!fit.Fits)
            {
                return AssumeOutcome.Fail($"pod {pod.Key} no longer fits node {nodeName}: {fit.Message}");
            }

            Span<int> buffer = stackalloc int[Math.Max(pod.GpuCount, 1)];
            var n = ValidHint(pod, node) ? CopyHint(pod, buffer) : selectCards(node, buffer);
            if (n < 0 || (pod.NeedsGpu && n != pod.GpuCount) || !CardsFit(pod, node, buffer[..Math.Max(n, 0)]))
            {
                return AssumeOutcome.Fail($"pod {pod.Key}: no card assignment fits node {nodeName}");
            }

            placed = new PlacedPod(pod, nodeName, [.. buffer[..n]], PlacementPhase.Assumed, _time.GetUtcNow());
            AddLocked(placed, i);
        }

        Changed?.Invoke();
        return new AssumeOutcome(true, string.Empty, placed);
    }

    /// <summary>
    /// Records that the cluster reports <paramref name="pod"/> bound to <paramref name="nodeName"/>
    /// (an informer event, or a pod in a loaded state file). Confirms a matching assumption, moves
    /// a mismatching one, and reconstructs cards deterministically when the pod records none.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node it is bound to.</param>
    /// <returns>The placement.</returns>
    public PlacedPod Confirm(PodDemand pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        PlacedPod placed;
        lock (_gate)
        {
            if (_pods.TryGetValue(pod.Uid, out var existing))
            {
                if (existing.NodeName == nodeName && SameDemand(existing.Pod, pod))
                {
                    placed = existing with { Phase = PlacementPhase.Bound, AssumedAt = null, Pod = pod };
                    _pods[pod.Uid] = placed;
                    return placed;
                }

                RemoveLocked(existing);
            }

            var table = _table;
            var hasNode = table.Index.TryGetValue(nodeName, out var i);
            int[] cards;
            if (!hasNode)
            {
                cards = ValidHintCount(pod, int.MaxValue) ? [.. pod.CardsHint] : [];
            }
            else
            {
                cards = ReconstructCards(pod, table.Slots[i], out var over);
                if (over || FitChecker.Check(pod, table.Slots[i]) is FitCode.InsufficientCpu or FitCode.InsufficientMemory)
                {
                    Interlocked.Increment(ref _overcommitted);
                }
            }

            placed = new PlacedPod(pod, nodeName, [.. cards], PlacementPhase.Bound, null);
            AddLocked(placed, hasNode ? i : -1);
        }

        Changed?.Invoke();
        return placed;
    }

    /// <summary>
    /// Places a pod on explicit cards as bound (the simulator's placement step, after the caller
    /// checked fit and chose the cards with the policy's scorer).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="cards">The card indices.</param>
    /// <returns>The placement.</returns>
    /// <exception cref="InvalidOperationException">The node is unknown or the pod is already placed.</exception>
    public PlacedPod Place(PodDemand pod, string nodeName, ReadOnlySpan<int> cards)
    {
        ArgumentNullException.ThrowIfNull(pod);
        PlacedPod placed;
        lock (_gate)
        {
            if (!_table.Index.TryGetValue(nodeName, out var i))
            {
                throw new InvalidOperationException($"Node {nodeName} is not in the cluster state.");
            }

            if (_pods.ContainsKey(pod.Uid))
            {
                throw new InvalidOperationException($"Pod {pod.Key} ({pod.Uid}) is already placed.");
            }

            placed = new PlacedPod(pod, nodeName, [.. cards], PlacementPhase.Bound, null);
            AddLocked(placed, i);
        }

        Changed?.Invoke();
        return placed;
    }

    /// <summary>Removes a pod (deleted, finished, or its assumption abandoned) and frees what it held.</summary>
    /// <param name="uid">The pod UID.</param>
    /// <returns>True when the pod was accounted.</returns>
    public bool Remove(string uid)
    {
        lock (_gate)
        {
            if (!_pods.TryGetValue(uid, out var existing))
            {
                return false;
            }

            RemoveLocked(existing);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Forgets assumptions the cluster has not confirmed within <see cref="ClusterStateOptions.AssumeTimeout"/>.</summary>
    /// <returns>The forgotten placements.</returns>
    public IReadOnlyList<PlacedPod> ForgetExpired()
    {
        List<PlacedPod> expired;
        lock (_gate)
        {
            var deadline = _time.GetUtcNow() - _options.AssumeTimeout;
            expired = [.. _pods.Values.Where(p => p.Phase == PlacementPhase.Assumed && p.AssumedAt <= deadline)];
            foreach (var p in expired)
            {
                RemoveLocked(p);
            }
        }

        if (expired.Count > 0)
        {
            Changed?.Invoke();
        }

        return expired;
    }

    /// <summary>
    /// Loads nodes and bound pods in one step, as from a <c>kubectl get nodes,pods -A -o json</c>
    /// list: pods that record their cards first, then the others by creation time and name, so
    /// card reconstruction is deterministic.
    /// </summary>
    /// <param name="nodes">The nodes.</param>
    /// <param name="boundPods">The bound pods with their node names.</param>
    public void Load(IEnumerable<NodeInventory> nodes, IEnumerable<(PodDemand Pod, string NodeName)> boundPods)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(boundPods);
        foreach (var n in nodes)
        {
            UpsertNode(n);
        }

        var ordered = boundPods
            .OrderBy(p => p.Pod.CardsHint.IsDefaultOrEmpty ? 1 : 0)
            .ThenBy(p => p.Pod.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Pod.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Pod.Name, StringComparer.Ordinal);
        foreach (var (pod, node) in ordered)
        {
            Confirm(pod, node);
        }
    }

    private static bool SameDemand(PodDemand a, PodDemand b) =>
        a.CpuMilli == b.CpuMilli && a.MemoryBytes == b.MemoryBytes && a.GpuCount == b.GpuCount && a.GpuMilli == b.GpuMilli;

    private static bool ValidHint(PodDemand pod, NodeState node) => pod.NeedsGpu && ValidHintCount(pod, node.Inventory.GpuCards);

    private static bool ValidHintCount(PodDemand pod, int cards)
    {
        var hint = pod.CardsHint;
        if (hint.IsDefaultOrEmpty || hint.Length != pod.GpuCount)
        {
            return false;
        }

        for (var i = 0; i < hint.Length; i++)
        {
            if (hint[i] < 0 || hint[i] >= cards)
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (hint[j] == hint[i])
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int CopyHint(PodDemand pod, Span<int> buffer)
    {
        pod.CardsHint.AsSpan().CopyTo(buffer);
        return pod.CardsHint.Length;
    }

    private static bool CardsFit(PodDemand pod, NodeState node, ReadOnlySpan<int> cards)
    {
        var free = node.CardFree;
        for (var i = 0; i < cards.Length; i++)
        {
            var c = cards[i];
            if ((uint)c >= (uint)free.Length || free[c] < pod.GpuMilli)
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (cards[j] == c)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int[] ReconstructCards(PodDemand pod, NodeState node, out bool overcommitted)
    {
        overcommitted = false;
        if (!pod.NeedsGpu || node.Inventory.GpuCards == 0)
        {
            overcommitted = pod.NeedsGpu;
            return [];
        }

        if (ValidHint(pod, node))
        {
            overcommitted = !CardsFit(pod, node, pod.CardsHint.AsSpan());
            return [.. pod.CardsHint];
        }

        var buffer = new int[pod.GpuCount];
        if (CardSelection.Select(pod, node.CardFree, CardSelection.ShareRule.BestFit, buffer) == pod.GpuCount)
        {
            return buffer;
        }

        // The cluster runs the pod although Lepton's accounting has no room: take the cards with
        // the most free milli, and count the drift.
        overcommitted = true;
        var free = node.CardFree.ToArray();
        var order = Enumerable.Range(0, free.Length).OrderByDescending(i => free[i]).ThenBy(i => i).Take(pod.GpuCount).ToArray();
        return order;
    }

    private void AddLocked(PlacedPod placed, int slot)
    {
        _version++;
        _pods[placed.Pod.Uid] = placed;
        if (!_podsByNode.TryGetValue(placed.NodeName, out var set))
        {
            _podsByNode[placed.NodeName] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(placed.Pod.Uid);
        if (slot >= 0)
        {
            var table = _table;
            Volatile.Write(ref table.Slots[slot], table.Slots[slot].WithPod(placed.Pod, placed.Cards.AsSpan(), _version));
        }

        if (_options.RecentPodWindow > 0)
        {
            _recent.Enqueue(placed.Pod);
            while (_recent.Count > _options.RecentPodWindow)
            {
                _recent.Dequeue();
            }
        }
    }

    private void RemoveLocked(PlacedPod placed)
    {
        _version++;
        _pods.Remove(placed.Pod.Uid);
        if (_podsByNode.TryGetValue(placed.NodeName, out var set))
        {
            set.Remove(placed.Pod.Uid);
            if (set.Count == 0)
            {
                _podsByNode.Remove(placed.NodeName);
            }
        }

        var table = _table;
        if (table.Index.TryGetValue(placed.NodeName, out var i))
        {
            Volatile.Write(ref table.Slots[i], table.Slots[i].WithoutPod(placed.Pod, placed.Cards.AsSpan(), _version));
        }
    }

    private void Publish(Dictionary<string, int> index, NodeState[] slots)
    {
        long cpu = 0;
        var gpu = 0;
        foreach (var s in slots)
        {
            cpu = Math.Max(cpu, s.Inventory.CpuMilli);
            gpu = Math.Max(gpu, s.Inventory.GpuMilliCapacity);
        }

        Volatile.Write(ref _table, new NodeTable(index, slots, new ClusterScale(cpu, gpu)));
    }
}
