using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.State;

/// <summary>
/// One node's accounting at one moment: what its pods use of CPU, memory, pod slots, each GPU
/// card and each extended resource. Immutable: placing or removing a pod yields a new state,
/// so readers (filter, prioritize, the simulator's scorers) never see a half-applied change.
/// </summary>
public sealed class NodeState
{
    private readonly int[] _cardFree;
    private readonly long[] _extendedUsed;
    private readonly int[] _tagCounts;
    private object? _fragmentationCache;
    private object? _scoreCache;

    /// <summary>The raw slot behind <see cref="ScoreCache"/>, for compare-and-swap.</summary>
    internal ref object? ScoreCacheSlot => ref _scoreCache;

    private NodeState(NodeInventory inventory, long cpuUsed, long memoryUsed, int pods, int[] cardFree, long[] extendedUsed, int[] tagCounts, long version)
    {
        Inventory = inventory;
        CpuUsedMilli = cpuUsed;
        MemoryUsedBytes = memoryUsed;
        PodCount = pods;
        _cardFree = cardFree;
        _extendedUsed = extendedUsed;
        _tagCounts = tagCounts;
        Version = version;

        // Copies of what the fit check reads on every node, so it need not follow Inventory.
        CpuFreeMilli = inventory.CpuMilli - cpuUsed;
        MemoryFreeBytes = inventory.MemoryBytes - memoryUsed;
        HasNodePredicates = inventory.Unschedulable || !inventory.Taints.IsDefaultOrEmpty;
        GpuSharing = inventory.GpuSharing;
        CardCount = inventory.GpuCards;
        MaxPods = inventory.MaxPods;
        GpuResource = inventory.GpuResource;
        GpuDeviceTotal = -1;
        if (inventory.GpuResource is { } device && inventory.IndexOfExtended(device) is var d and >= 0)
        {
            GpuDeviceTotal = inventory.Extended[d].Quantity;
            GpuDeviceFree = GpuDeviceTotal - extendedUsed[d];
        }
        var idle = 0;
        var fullyFree = 0;
        var most = 0;
        foreach (var f in cardFree)
        {
            idle += Math.Max(f, 0);
            most = Math.Max(most, f);
            if (f >= 1000)
            {
                fullyFree++;
            }
        }

        GpuIdleMilli = idle;
        FullyFreeCards = fullyFree;
        MostFreeOnOneCard = most;
    }

    /// <summary>The node's static description.</summary>
    public NodeInventory Inventory { get; }

    /// <summary>The node name.</summary>
    public string Name => Inventory.Name;

    /// <summary>CPU requested by the node's pods, in milli-cores.</summary>
    public long CpuUsedMilli { get; }

    /// <summary>Memory requested by the node's pods, in bytes.</summary>
    public long MemoryUsedBytes { get; }

    /// <summary>Pods placed on the node.</summary>
    public int PodCount { get; }

    /// <summary>A number that grows with every change of this node's accounting.</summary>
    public long Version { get; }

    /// <summary>Free milli-GPU on each card, in card-index order (1000 = the whole card is free).</summary>
    public ReadOnlySpan<int> CardFree => _cardFree;

    /// <summary>Free milli-GPU summed over all cards.</summary>
    public int GpuIdleMilli { get; }

    /// <summary>Cards with nothing allocated on them.</summary>
    public int FullyFreeCards { get; }

    /// <summary>The most free milli-GPU on any one card (0 without cards).</summary>
    public int MostFreeOnOneCard { get; }

    /// <summary>Unrequested CPU in milli-cores (negative only if reality overcommitted the node).</summary>
    public long CpuFreeMilli { get; }

    /// <summary>Unrequested memory in bytes.</summary>
    public long MemoryFreeBytes { get; }

    /// <summary>
    /// Whether the node itself can refuse a pod without constraints (it is cordoned or tainted),
    /// held here so that the fit check of a pod without <see cref="PodDemand.Placement"/> skips
    /// <see cref="Fit.NodePredicates"/> on an ordinary node.
    /// </summary>
    internal bool HasNodePredicates { get; }

    /// <summary><see cref="NodeInventory.GpuSharing"/>, held here for the fit check's hot path.</summary>
    internal GpuSharing GpuSharing { get; }

    /// <summary><see cref="NodeInventory.GpuCards"/>, held here for the fit check's hot path.</summary>
    internal int CardCount { get; }

    /// <summary><see cref="NodeInventory.MaxPods"/>, held here for the fit check's hot path.</summary>
    internal int MaxPods { get; }

    /// <summary><see cref="NodeInventory.GpuResource"/>, held here for the fit check's hot path.</summary>
    internal string? GpuResource { get; }

    /// <summary>
    /// The allocatable count of the device resource <see cref="GpuResource"/> names (as in
    /// <see cref="NodeInventory.Extended"/>; with time-slicing more than the cards), or -1 when the
    /// node does not advertise it. Held here so that the fit check of a pod whose only extended
    /// resource is this one does not walk the inventory.
    /// </summary>
    internal long GpuDeviceTotal { get; }

    /// <summary>The unrequested part of <see cref="GpuDeviceTotal"/> (0 when the node does not advertise it).</summary>
    internal long GpuDeviceFree { get; }

    /// <summary>GPU milli allocated on this node.</summary>
    public int GpuUsedMilli => Inventory.GpuMilliCapacity - GpuIdleMilli;

    /// <summary>Amount in use of the extended resource at <paramref name="index"/> of <see cref="NodeInventory.Extended"/>.</summary>
    /// <param name="index">The index in the inventory's extended resources.</param>
    /// <returns>The amount requested by the node's pods.</returns>
    public long ExtendedUsed(int index) => _extendedUsed[index];

    /// <summary>
    /// Pods on this node with the given GPU affinity tag (0 = sharing, N = N whole GPUs), as the
    /// FGD artifact's GpuClustering counts them.
    /// </summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The count.</returns>
    public int PodsWithTag(int tag) => tag >= 0 && tag < _tagCounts.Length ? _tagCounts[tag] : 0;

    /// <summary>Pods on this node that carry any GPU affinity tag.</summary>
    public int GpuPodCount
    {
        get
        {
            var n = 0;
            foreach (var c in _tagCounts)
            {
                n += c;
            }

            return n;
        }
    }

    /// <summary>Creates the state of a node with nothing placed on it.</summary>
    /// <param name="inventory">The node.</param>
    /// <param name="version">The initial version.</param>
    /// <returns>The empty state.</returns>
    public static NodeState Empty(NodeInventory inventory, long version = 0)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var cards = new int[inventory.GpuCards];
        Array.Fill(cards, 1000);
        return new NodeState(inventory, 0, 0, 0, cards, new long[inventory.Extended.Length], new int[inventory.GpuCards + 1], version);
    }

    /// <summary>
    /// The state after adding <paramref name="pod"/> on <paramref name="cards"/>. Does not check
    /// fit: callers check first (assume) or are told by the cluster that the pod runs (confirm).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="cards">The card indices the pod takes <see cref="PodDemand.GpuMilli"/> from.</param>
    /// <param name="version">The new version.</param>
    /// <returns>The new state.</returns>
    public NodeState WithPod(PodDemand pod, ReadOnlySpan<int> cards, long version) => Apply(pod, cards, +1, version);

    /// <summary>The state after removing a pod placed earlier with <see cref="WithPod"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="cards">The card indices it held.</param>
    /// <param name="version">The new version.</param>
    /// <returns>The new state.</returns>
    public NodeState WithoutPod(PodDemand pod, ReadOnlySpan<int> cards, long version) => Apply(pod, cards, -1, version);

    /// <summary>The same accounting over a changed inventory (capacity or labels changed).</summary>
    /// <param name="inventory">The new inventory of the same node.</param>
    /// <param name="pods">The pods on the node with their cards, re-applied in order.</param>
    /// <param name="version">The new version.</param>
    /// <returns>The new state.</returns>
    public static NodeState Rebuild(NodeInventory inventory, IEnumerable<(PodDemand Pod, int[] Cards)> pods, long version)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var state = Empty(inventory, version);
        foreach (var (pod, cards) in pods)
        {
            state = state.WithPod(pod, ValidCards(cards, inventory.GpuCards), version);
        }

        return state;
    }

    /// <summary>
    /// A per-state cache slot for derived values (the fragmentation measure). Safe to share:
    /// the state never changes, so whatever was computed for it stays true.
    /// </summary>
    internal object? FragmentationCache
    {
        get => Volatile.Read(ref _fragmentationCache);
        set => Volatile.Write(ref _fragmentationCache, value);
    }

    /// <summary>
    /// A per-state cache slot for a scorer's per-node results (FGD's score per pod shape). Safe to
    /// share for the same reason as <see cref="FragmentationCache"/>.
    /// </summary>
    internal object? ScoreCache
    {
        get => Volatile.Read(ref _scoreCache);
        set => Volatile.Write(ref _scoreCache, value);
    }

    private static int[] ValidCards(int[] cards, int count)
    {
        foreach (var c in cards)
        {
            if (c < 0 || c >= count)
            {
                return [];
            }
        }

        return cards;
    }

    private NodeState Apply(PodDemand pod, ReadOnlySpan<int> cards, int sign, long version)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var cardFree = _cardFree;
        if (pod.NeedsGpu && !cards.IsEmpty)
        {
            cardFree = (int[])_cardFree.Clone();
            foreach (var c in cards)
            {
                if ((uint)c >= (uint)cardFree.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(cards), c, $"Node {Name} has {cardFree.Length} GPU cards.");
                }

                cardFree[c] -= sign * pod.GpuMilli;
            }
        }

        var extended = _extendedUsed;
        if (!pod.Extended.IsDefaultOrEmpty && extended.Length > 0)
        {
            extended = (long[])_extendedUsed.Clone();
            foreach (var r in pod.Extended)
            {
                var i = Inventory.IndexOfExtended(r.Name);
                if (i >= 0)
                {
                    extended[i] += sign * r.Quantity;
                }
            }
        }

        var tags = _tagCounts;
        var tag = pod.AffinityTag;
        if (tag >= 0 && tag < tags.Length && !cards.IsEmpty)
        {
            tags = (int[])_tagCounts.Clone();
            tags[tag] = Math.Max(0, tags[tag] + sign);
        }

        return new NodeState(
            Inventory,
            CpuUsedMilli + (sign * pod.CpuMilli),
            MemoryUsedBytes + (sign * pod.MemoryBytes),
            Math.Max(0, PodCount + sign),
            cardFree,
            extended,
            tags,
            version);
    }
}
