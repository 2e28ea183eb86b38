using System.Globalization;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Fit;

/// <summary>
/// Decides whether a pod fits a node card by card: CPU, memory and pod slots as kube-scheduler
/// counts them, whole and fractional GPUs on individual cards, GPU models, and every extended
/// resource (FPGAs). Pure functions over immutable state.
/// </summary>
public static class FitChecker
{
    /// <summary>Checks fit without allocating (the simulator's and filter's hot path).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <returns>The first reason the pod does not fit, or <see cref="FitCode.Fits"/>.</returns>
    public static FitCode Check(PodDemand pod, NodeState node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        // The node's own copies of inventory values first: the inventory is read only for what
        // the pod actually constrains (a named GPU resource, models, extended resources).
        // Kube-scheduler's hard predicates, only where they can refuse: on a cordoned or tainted node,
        // or for a pod with a node name, selector or required affinity. Most real pods carry
        // tolerations alone (kube's defaults), which an ordinary node cannot refuse.
        if (node.HasNodePredicates || pod.Placement is { ConstrainsNode: true })
        {
            var predicate = NodePredicates.Check(pod, node.Inventory);
            if (predicate != FitCode.Fits)
            {
                return predicate;
            }
        }

        if (pod.ReservedNode is { } reserved && !string.Equals(reserved, node.Name, StringComparison.Ordinal))
        {
            return FitCode.ReservedElsewhere;
        }

        if (pod.NeedsGpu)
        {
            if (node.CardCount == 0 || (pod.GpuResource is not null && !SameGpuFamily(pod.GpuResource, node.GpuResource)))
            {
                return FitCode.NoGpu;
            }

            if (node.GpuSharing != GpuSharing.Unknown && !NodePredicates.SuitsGpuSharing(pod, node.GpuSharing))
            {
                return FitCode.GpuSharingMismatch;
            }

            if (!pod.GpuModels.IsDefaultOrEmpty && !pod.AcceptsModel(node.Inventory.GpuModel))
            {
                return FitCode.GpuModelMismatch;
            }

            if (node.CardCount < pod.GpuCount)
            {
                return FitCode.TooFewGpuCards;
            }
        }

        var extended = pod.Extended;
        var inv = node.Inventory;

        // The common case: the pod's only extended resource is this node's GPU device resource
        // (one shared string instance), whose amounts the node state holds.
        var deviceOnly = !extended.IsDefaultOrEmpty && extended.Length == 1 && node.GpuDeviceTotal >= 0
            && ReferenceEquals(extended[0].Name, node.GpuResource);
        if (deviceOnly)
        {
            if (node.GpuDeviceTotal < extended[0].Quantity)
            {
                return FitCode.TooLittleExtended;
            }
        }
        else if (!extended.IsDefaultOrEmpty)
        {
            foreach (var r in extended)
            {
                var i = inv.IndexOfExtended(r.Name);
                if (i < 0)
                {
                    if (r.Quantity > 0)
                    {
                        return FitCode.MissingExtended;
                    }

                    continue;
                }

                if (inv.Extended[i].Quantity < r.Quantity)
                {
                    return FitCode.TooLittleExtended;
                }
            }
        }

        if (node.CpuFreeMilli < pod.CpuMilli)
        {
            return FitCode.InsufficientCpu;
        }

        if (node.MemoryFreeBytes < pod.MemoryBytes)
        {
            return FitCode.InsufficientMemory;
        }

        if (node.PodCount >= node.MaxPods)
        {
            return FitCode.TooManyPods;
        }

        if (pod.NeedsGpu)
        {
            if (pod.GpuMilli >= 1000)
            {
                if (node.FullyFreeCards < pod.GpuCount)
                {
                    return FitCode.InsufficientGpu;
                }
            }
            else if (node.MostFreeOnOneCard < pod.GpuMilli
                || (pod.GpuCount > 1 && CountCardsWithFree(node.CardFree, pod.GpuMilli) < pod.GpuCount))
            {
                return FitCode.InsufficientGpuShare;
            }
        }

        if (deviceOnly)
        {
            if (node.GpuDeviceFree < extended[0].Quantity)
            {
                return FitCode.InsufficientExtended;
            }
        }
        else if (!extended.IsDefaultOrEmpty)
        {
            foreach (var r in extended)
            {
                var i = inv.IndexOfExtended(r.Name);
                if (i >= 0 && inv.Extended[i].Quantity - node.ExtendedUsed(i) < r.Quantity)
                {
                    return FitCode.InsufficientExtended;
                }
            }
        }

        return FitCode.Fits;
    }

    /// <summary>Checks fit and explains a failure with the numbers that matter.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <returns>The result with a readable message.</returns>
    public static FitResult Explain(PodDemand pod, NodeState node)
    {
        var code = Check(pod, node);
        return code == FitCode.Fits ? FitResult.Fit : new FitResult(code, Describe(code, pod, node));
    }

    /// <summary>
    /// Whether no preemption on the node can make room for the pod (the node is the wrong kind,
    /// not too full): such nodes go to <c>FailedAndUnresolvableNodes</c>.
    /// </summary>
    /// <param name="code">The reason code.</param>
    /// <returns>True for reasons that victims cannot resolve.</returns>
    public static bool IsUnresolvable(FitCode code) => code is FitCode.NodeCordoned or FitCode.NodeNameMismatch
        or FitCode.UntoleratedTaint or FitCode.NodeSelectorMismatch or FitCode.NodeAffinityMismatch
        or FitCode.ReservedElsewhere or FitCode.GpuSharingMismatch
        or FitCode.NoGpu or FitCode.GpuModelMismatch or FitCode.TooFewGpuCards or FitCode.MissingExtended
        or FitCode.TooLittleExtended;

    /// <summary>Counts cards with at least <paramref name="milli"/> free.</summary>
    /// <param name="cardFree">Free milli per card.</param>
    /// <param name="milli">The share needed.</param>
    /// <returns>The number of cards that could take the share.</returns>
    public static int CountCardsWithFree(ReadOnlySpan<int> cardFree, int milli)
    {
        var n = 0;
        foreach (var f in cardFree)
        {
            if (f >= milli)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Whether a pod's GPU resource and a node's belong to the same vendor's devices. A pod that
    /// names no resource (a trace pod) matches any GPU node; <c>nvidia.com/gpu</c> and its shared
    /// rename <c>nvidia.com/gpu.shared</c> match each other.
    /// </summary>
    /// <param name="podResource">The pod's GPU resource, or null.</param>
    /// <param name="nodeResource">The node's GPU resource, or null.</param>
    /// <returns>True when the pod may use the node's cards.</returns>
    public static bool SameGpuFamily(string? podResource, string? nodeResource)
    {
        if (podResource is null || nodeResource is null)
        {
            return true;
        }

        if (ReferenceEquals(podResource, nodeResource))
        {
            return true;
        }

        return Family(podResource).SequenceEqual(Family(nodeResource));

        static ReadOnlySpan<char> Family(string r)
        {
            var dot = r.IndexOf('.', r.IndexOf('/', StringComparison.Ordinal) + 1);
            return dot < 0 ? r : r.AsSpan(0, dot);
        }
    }

    /// <summary>
    /// The readable message of a failure <see cref="Check"/> already found (what
    /// <see cref="Explain"/> says, without checking again).
    /// </summary>
    /// <param name="code">The reason code <see cref="Check"/> returned for the pod and node.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <returns>The message, or empty for <see cref="FitCode.Fits"/>.</returns>
    public static string Describe(FitCode code, PodDemand pod, NodeState node) => Describe(code, pod, node, FitReasonDetail.Full);

    /// <summary>The readable message for a failure, with the node's figures or without (<see cref="FitReasonDetail"/>).</summary>
    /// <param name="code">The reason code <see cref="Check"/> returned for the pod and node.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <param name="detail">Whether the node's figures are shown.</param>
    /// <returns>The message, or empty for <see cref="FitCode.Fits"/>.</returns>
    public static string Describe(FitCode code, PodDemand pod, NodeState node, FitReasonDetail detail)
    {
        Span<char> stack = stackalloc char[256];
        if (TryDescribe(code, pod, node, stack, out var written, detail))
        {
            return new string(stack[..written]);
        }

        for (var size = 1024; ; size *= 4)
        {
            var heap = new char[size];
            if (TryDescribe(code, pod, node, heap, out written, detail))
            {
                return new string(heap, 0, written);
            }
        }
    }

    /// <summary>
    /// Writes <see cref="Describe(FitCode, PodDemand, NodeState, FitReasonDetail)"/>'s message into <paramref name="destination"/> without
    /// allocating for the common reasons (a filter answer names thousands of failed nodes).
    /// </summary>
    /// <param name="code">The reason code <see cref="Check"/> returned for the pod and node.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="written">The characters written.</param>
    /// <param name="detail">Whether the node's figures are shown (<see cref="FitReasonDetail.Full"/> unless given).</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public static bool TryDescribe(FitCode code, PodDemand pod, NodeState node, Span<char> destination, out int written, FitReasonDetail detail = FitReasonDetail.Full)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var inv = node.Inventory;
        var c = CultureInfo.InvariantCulture;
        var d = destination;
        if (detail == FitReasonDetail.Summary && IsPodOnlySummary(code))
        {
            return TryDescribeSummary(code, pod, d, out written);
        }

        return code switch
        {
            FitCode.NodeCordoned => d.TryWrite(c, $"Node cordoned: the node is marked unschedulable and the pod does not tolerate node.kubernetes.io/unschedulable:NoSchedule", out written),
            FitCode.NodeNameMismatch => d.TryWrite(c, $"Node name mismatch: pod is fixed to node {pod.Placement?.NodeName}", out written),
            FitCode.UntoleratedTaint => d.TryWrite(c, $"Untolerated taint: node has {NodePredicates.FirstUntoleratedTaint(pod.Placement, inv)}", out written),
            FitCode.NodeSelectorMismatch => DescribeSelector(pod, inv, d, out written),
            FitCode.NodeAffinityMismatch => d.TryWrite(c, $"Node affinity mismatch: node matches no required term ({string.Join(" or ", pod.Placement!.RequiredTerms)})", out written),
            FitCode.GpuSharingMismatch => pod.IsSharing
                ? d.TryWrite(c, $"GPU sharing: pod asks for {pod.GpuMilli} milli of one GPU, but node's GPUs are not shared ({inv.GpuSharingEvidence ?? "not shared"})", out written)
                : d.TryWrite(c, $"GPU sharing: pod asks for {pod.GpuCount} whole GPU(s), but node's GPUs are shared ({inv.GpuSharingEvidence ?? "shared"}) and the device plugin, not Lepton, would pick the card", out written),
            FitCode.ReservedElsewhere => d.TryWrite(c, $"Reserved elsewhere: gang member reserved on node {pod.ReservedNode}", out written),
            FitCode.NoGpu => inv.GpuCards == 0
                ? pod.IsSharing
                    ? d.TryWrite(c, $"No GPU: needs {pod.GpuMilli} milli-GPU, node has no GPUs", out written)
                    : d.TryWrite(c, $"No GPU: needs {pod.GpuCount} GPUs, node has no GPUs", out written)
                : d.TryWrite(c, $"No GPU: needs {pod.GpuResource}, node has {inv.GpuResource}", out written),
            FitCode.GpuModelMismatch => d.TryWrite(c, $"GPU model mismatch: needs {string.Join('|', pod.GpuModels)}, node has {inv.GpuModel ?? "unlabelled GPUs"}", out written),
            FitCode.TooFewGpuCards => d.TryWrite(c, $"Too few GPUs: needs {pod.GpuCount} GPUs, node has {inv.GpuCards} in total", out written),
            FitCode.MissingExtended => d.TryWrite(c, $"Missing resource: needs {FirstMissing(pod, node)}, node has none", out written),
            FitCode.TooLittleExtended => d.TryWrite(c, $"Too little resource: needs {FirstShort(pod, node, total: true)} in total", out written),
            FitCode.InsufficientCpu => d.TryWrite(c, $"Insufficient cpu: needs {pod.CpuMilli}m, {node.CpuFreeMilli}m free of {inv.CpuMilli}m", out written),
            FitCode.InsufficientMemory => d.TryWrite(c, $"Insufficient memory: needs {Mib(pod.MemoryBytes)}Mi, {Mib(node.MemoryFreeBytes)}Mi free of {Mib(inv.MemoryBytes)}Mi", out written),
            FitCode.TooManyPods => d.TryWrite(c, $"Too many pods: {node.PodCount} of {inv.MaxPods} pod slots used", out written),
            FitCode.InsufficientGpu => d.TryWrite(c, $"Insufficient GPU: needs {pod.GpuCount} GPUs, {node.FullyFreeCards} free of {inv.GpuCards}", out written),
            FitCode.InsufficientGpuShare => d.TryWrite(c, $"Insufficient GPU share: needs {pod.GpuMilli} milli-GPU on {pod.GpuCount} card(s), {CountCardsWithFree(node.CardFree, pod.GpuMilli)} card(s) have it; most free on one card {node.MostFreeOnOneCard} of 1000", out written),
            FitCode.InsufficientExtended => d.TryWrite(c, $"Insufficient resource: needs {FirstShort(pod, node, total: false)}", out written),
            _ => Empty(out written),
        };

        static bool Empty(out int written)
        {
            written = 0;
            return true;
        }
    }

    /// <summary>
    /// The key of the reason <see cref="Describe(FitCode, PodDemand, NodeState, FitReasonDetail)"/> gives for a failure: for the same pod, failures
    /// with equal keys are described by the same text. Only the common reasons, whose text shows a
    /// few node figures, have one; the predicates' and extended resources' reasons (taints,
    /// selectors, affinity terms, FPGAs) do not.
    /// </summary>
    /// <param name="code">The reason code <see cref="Check"/> returned for the pod and node.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <param name="key">The key, when the reason has one.</param>
    /// <returns>False when the reason must be described node by node.</returns>
    public static bool TryGetReasonKey(FitCode code, PodDemand pod, NodeState node, out FitReasonKey key) =>
        TryGetReasonKey(code, pod, node, FitReasonDetail.Full, out key);

    /// <summary>
    /// The key of the reason <see cref="Describe(FitCode, PodDemand, NodeState, FitReasonDetail)"/> gives at
    /// <paramref name="detail"/>: for the same pod, failures with equal keys are described by the same text.
    /// </summary>
    /// <param name="code">The reason code <see cref="Check"/> returned for the pod and node.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node state.</param>
    /// <param name="detail">Whether the node's figures are shown.</param>
    /// <param name="key">The key, when the reason has one.</param>
    /// <returns>False when the reason must be described node by node.</returns>
    public static bool TryGetReasonKey(FitCode code, PodDemand pod, NodeState node, FitReasonDetail detail, out FitReasonKey key)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        if (detail == FitReasonDetail.Summary && IsPodOnlySummary(code))
        {
            key = new FitReasonKey(code, 0, 0, null);
            return true;
        }

        // Each case reads exactly the node figures TryDescribe writes for the code (the pod's are
        // the same for every node).
        key = code switch
        {
            FitCode.NodeCordoned or FitCode.NodeNameMismatch or FitCode.ReservedElsewhere => new FitReasonKey(code, 0, 0, null),
            FitCode.GpuSharingMismatch => new FitReasonKey(code, 0, 0, node.Inventory.GpuSharingEvidence),
            FitCode.NoGpu => node.Inventory.GpuCards == 0 ? new FitReasonKey(code, 0, 0, null) : new FitReasonKey(code, 1, 0, node.Inventory.GpuResource),
            FitCode.GpuModelMismatch => new FitReasonKey(code, 0, 0, node.Inventory.GpuModel),
            FitCode.TooFewGpuCards => new FitReasonKey(code, node.Inventory.GpuCards, 0, null),
            FitCode.InsufficientCpu => new FitReasonKey(code, node.CpuFreeMilli, node.Inventory.CpuMilli, null),
            FitCode.InsufficientMemory => new FitReasonKey(code, Mib(node.MemoryFreeBytes), Mib(node.Inventory.MemoryBytes), null),
            FitCode.TooManyPods => new FitReasonKey(code, node.PodCount, node.Inventory.MaxPods, null),
            FitCode.InsufficientGpu => new FitReasonKey(code, node.FullyFreeCards, node.Inventory.GpuCards, null),
            FitCode.InsufficientGpuShare => new FitReasonKey(code, CountCardsWithFree(node.CardFree, pod.GpuMilli), node.MostFreeOnOneCard, null),
            _ => default,
        };
        return key.Code != FitCode.Fits;
    }

    /// <summary>
    /// Whether the <see cref="FitReasonDetail.Summary"/> reason for <paramref name="code"/> depends on the pod alone (the
    /// same text for every node the pod fails with it), so an answer can format it once per code.
    /// </summary>
    /// <param name="code">The failure.</param>
    /// <returns>True for the capacity reasons, cordoning, sharing, reservations and a fixed node name.</returns>
    public static bool IsPodOnlySummary(FitCode code) => code is FitCode.NodeCordoned or FitCode.NodeNameMismatch or FitCode.ReservedElsewhere
        or FitCode.GpuSharingMismatch or FitCode.TooFewGpuCards or FitCode.InsufficientCpu or FitCode.InsufficientMemory
        or FitCode.TooManyPods or FitCode.InsufficientGpu or FitCode.InsufficientGpuShare;

    private static bool TryDescribeSummary(FitCode code, PodDemand pod, Span<char> d, out int written)
    {
        var c = CultureInfo.InvariantCulture;
        return code switch
        {
            FitCode.NodeCordoned => d.TryWrite(c, $"Node cordoned: marked unschedulable", out written),
            FitCode.NodeNameMismatch => d.TryWrite(c, $"Node name mismatch: pod is fixed to node {pod.Placement?.NodeName}", out written),
            FitCode.ReservedElsewhere => d.TryWrite(c, $"Reserved elsewhere: gang member reserved on node {pod.ReservedNode}", out written),
            FitCode.GpuSharingMismatch => pod.IsSharing
                ? d.TryWrite(c, $"GPU sharing: needs {pod.GpuMilli} milli-GPU, node's GPUs are not shared", out written)
                : d.TryWrite(c, $"GPU sharing: needs {pod.GpuCount} whole GPUs, node's GPUs are shared", out written),
            FitCode.TooFewGpuCards => d.TryWrite(c, $"Too few GPUs: needs {pod.GpuCount} GPUs on one node", out written),
            FitCode.InsufficientCpu => d.TryWrite(c, $"Insufficient cpu: needs {pod.CpuMilli}m", out written),
            FitCode.InsufficientMemory => d.TryWrite(c, $"Insufficient memory: needs {Mib(pod.MemoryBytes)}Mi", out written),
            FitCode.TooManyPods => d.TryWrite(c, $"Too many pods: no free pod slot", out written),
            FitCode.InsufficientGpu => d.TryWrite(c, $"Insufficient GPU: needs {pod.GpuCount} free {(pod.GpuCount == 1 ? "GPU" : "GPUs")}", out written),
            FitCode.InsufficientGpuShare => d.TryWrite(c, $"Insufficient GPU share: needs {pod.GpuMilli} milli-GPU free on {pod.GpuCount} card(s)", out written),
            _ => throw new System.Diagnostics.UnreachableException($"{code} has no pod-only summary"),
        };
    }

    private static bool DescribeSelector(PodDemand pod, NodeInventory node, Span<char> d, out int written)
    {
        var c = CultureInfo.InvariantCulture;
        if (pod.Placement is { } p && NodePredicates.FirstUnmatchedSelector(p, node) is { } pair)
        {
            return node.Labels.TryGetValue(pair.Key, out var has)
                ? d.TryWrite(c, $"Node selector mismatch: pod needs {pair.Key}={pair.Value}, node has {pair.Key}={has}", out written)
                : d.TryWrite(c, $"Node selector mismatch: pod needs {pair.Key}={pair.Value}, node has no {pair.Key} label", out written);
        }

        return d.TryWrite(c, $"Node selector mismatch", out written);
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    /// <summary>The first extended resource <paramref name="pod"/> asks for that <paramref name="node"/> does not have at all.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns>The resource, or null when the node has every one.</returns>
    public static ExtendedShortage? FirstMissingExtended(PodDemand pod, NodeState node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var r in pod.Extended)
        {
            if (r.Quantity > 0 && node.Inventory.IndexOfExtended(r.Name) < 0)
            {
                return new ExtendedShortage(r.Name, r.Quantity, 0, 0);
            }
        }

        return null;
    }

    /// <summary>
    /// The first extended resource the node has but too little of: in total (<paramref name="total"/>) or free now.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <param name="total">Compare with the allocatable amount instead of what is free.</param>
    /// <returns>The resource, or null when none is short.</returns>
    public static ExtendedShortage? FirstShortExtended(PodDemand pod, NodeState node, bool total)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var r in pod.Extended)
        {
            var i = node.Inventory.IndexOfExtended(r.Name);
            if (i < 0)
            {
                continue;
            }

            var have = node.Inventory.Extended[i].Quantity;
            var free = have - node.ExtendedUsed(i);
            if (total ? have < r.Quantity : free < r.Quantity)
            {
                return new ExtendedShortage(r.Name, r.Quantity, have, free);
            }
        }

        return null;
    }

    private static string FirstMissing(PodDemand pod, NodeState node) =>
        FirstMissingExtended(pod, node) is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m.Needed} {m.Name}") : "an extended resource";

    private static string FirstShort(PodDemand pod, NodeState node, bool total) => FirstShortExtended(pod, node, total) switch
    {
        { } s when total => string.Create(CultureInfo.InvariantCulture, $"{s.Needed} {s.Name}, node has {s.Have}"),
        { } s => string.Create(CultureInfo.InvariantCulture, $"{s.Needed} {s.Name}, {s.Free} free of {s.Have}"),
        null => "an extended resource",
    };
}
