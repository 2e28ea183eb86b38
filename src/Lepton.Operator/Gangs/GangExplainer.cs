using System.Globalization;
using System.Text;
using Lepton.Operator.Entities;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Operator.Gangs;

/// <summary>
/// Says in plain words why a gang does not fit (docs/CRD.md, the <c>Unschedulable</c> message): what one member
/// needs, how many members found room, how many nodes have room for one, and the most common reasons the other
/// nodes refuse it, with the numbers (<see cref="FitChecker.Explain"/>'s codes, grouped), e.g.
/// <c>4 replicas must start together, each needing 8 GPUs (NVIDIA-A100-SXM4-80GB); room for 3 now: 3 of 20 nodes
/// have room for one; 12 lack free GPUs (8 needed, 2–6 free); 5 are the wrong GPU model (NVIDIA-V100)</c>.
/// </summary>
public static class GangExplainer
{
    private const int MaxGroups = 5;

    /// <summary>Explains a plan that placed fewer members than needed.</summary>
    /// <param name="needed">How many members must be placed together.</param>
    /// <param name="member">A representative member (the first that found no room).</param>
    /// <param name="plan">The plan.</param>
    /// <param name="neverFits">
    /// Whether the gang could not be placed even on the empty cluster (<see cref="GangPlanner.PlanOnEmptyCluster"/>):
    /// then no freed room helps, and the reason is <c>NoMatchingNodes</c> whatever the nodes' refusals are.
    /// </param>
    /// <returns>
    /// The condition reason (<c>NoMatchingNodes</c> when no node could ever take a member or no node set could ever
    /// take the gang, else <c>InsufficientResources</c>) and the message. A <c>NoMatchingNodes</c> message starts the
    /// way kube-scheduler's does, e.g. <c>0/5 nodes match: 3 node(s) didn't match nodeSelector pool=x, 2 node(s) had
    /// untolerated taint gpu=reserved:NoSchedule</c>, and then says what the gang needs.
    /// </returns>
    public static (string Reason, string Message) Explain(int needed, PodDemand member, GangPlan plan, bool neverFits = false)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(plan);
        var pod = member with { ReservedNode = null };
        var c = CultureInfo.InvariantCulture;
        var groups = new Dictionary<FitCode, List<NodeState>>();
        var fits = 0;
        foreach (var node in plan.Nodes)
        {
            var code = FitChecker.Check(pod, node);
            if (code == FitCode.Fits)
            {
                fits++;
                continue;
            }

            if (!groups.TryGetValue(code, out var list))
            {
                groups[code] = list = [];
            }

            list.Add(node);
        }

        var noMatch = (fits == 0 && groups.Keys.All(FitChecker.IsUnresolvable)) || neverFits;
        var ordered = groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key).ToList();
        var text = new StringBuilder();
        if (noMatch && fits == 0 && plan.Nodes.Count > 0)
        {
            text.Append(c, $"0/{plan.Nodes.Count} nodes match: ");
            text.AppendJoin(", ", ordered.Take(MaxGroups).Select(g => string.Create(c, $"{g.Value.Count} node(s) {Phrase(g.Key, pod, g.Value)}")));
            if (groups.Count > MaxGroups)
            {
                text.Append(c, $", {groups.Skip(MaxGroups).Sum(g => g.Value.Count)} node(s) refuse it for other reasons");
            }

            text.Append(c, $"; {needed} {(needed == 1 ? "replica" : "replicas")} must start together, each needing {Describe(pod)}");
            return (LeptonJobConditionReasons.NoMatchingNodes, text.ToString());
        }

        if (neverFits)
        {
            text.Append(c, $"no node set can ever hold the gang, even with every node empty; ");
        }

        text.Append(c, $"{needed} {(needed == 1 ? "replica" : "replicas")} must start together, each needing {Describe(pod)}; ");
        text.Append(c, $"room for {plan.Placements.Count} now: ");
        text.Append(plan.Nodes.Count == 0 ? "the cluster has no nodes" : string.Create(c, $"{fits} of {plan.Nodes.Count} nodes have room for one"));
        foreach (var (code, nodes) in ordered.Take(MaxGroups))
        {
            text.Append("; ").Append(nodes.Count.ToString(c)).Append(' ').Append(Phrase(code, pod, nodes));
        }

        if (groups.Count > MaxGroups)
        {
            text.Append(c, $"; {groups.Skip(MaxGroups).Sum(g => g.Value.Count)} more refuse it for other reasons");
        }

        var reason = noMatch
            ? LeptonJobConditionReasons.NoMatchingNodes
            : LeptonJobConditionReasons.InsufficientResources;
        return (reason, text.ToString());
    }

    /// <summary>What one member needs, e.g. <c>8 GPUs (NVIDIA-A100-SXM4-80GB), 32 CPU, 256Gi memory</c>.</summary>
    /// <param name="pod">The member.</param>
    /// <returns>The description.</returns>
    public static string Describe(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (pod.NeedsGpu)
        {
            var gpus = pod.IsSharing
                ? string.Create(c, $"{pod.GpuMilli} milli-GPU of one card")
                : string.Create(c, $"{pod.GpuCount} {(pod.GpuCount == 1 ? "GPU" : "GPUs")}");
            if (!pod.GpuModels.IsDefaultOrEmpty)
            {
                gpus += " (" + string.Join(" or ", pod.GpuModels) + ")";
            }

            parts.Add(gpus);
        }

        foreach (var r in pod.Extended.IsDefault ? Enumerable.Empty<ResourceAmount>() : pod.Extended)
        {
            if (r.Name != pod.GpuResource)
            {
                parts.Add(string.Create(c, $"{r.Quantity} {r.Name}"));
            }
        }

        if (pod.CpuMilli > 0)
        {
            parts.Add(Cpu(pod.CpuMilli) + " CPU");
        }

        if (pod.MemoryBytes > 0)
        {
            parts.Add(Memory(pod.MemoryBytes) + " memory");
        }

        return parts.Count == 0 ? "no resources" : string.Join(", ", parts);
    }

    private static string Phrase(FitCode code, PodDemand pod, List<NodeState> nodes)
    {
        var c = CultureInfo.InvariantCulture;
        return code switch
        {
            FitCode.NodeCordoned => "are cordoned",
            FitCode.NodeNameMismatch => $"are not the pod's nodeName {pod.Placement?.NodeName}",
            FitCode.UntoleratedTaint => "had untolerated taint " + Distinct(nodes, n => NodePredicates.FirstUntoleratedTaint(pod.Placement, n.Inventory)?.ToString()),
            FitCode.NodeSelectorMismatch => "didn't match nodeSelector " + Distinct(nodes, n => pod.Placement is { } p && NodePredicates.FirstUnmatchedSelector(p, n.Inventory) is { } kv ? $"{kv.Key}={kv.Value}" : null),
            FitCode.NodeAffinityMismatch => "didn't match the required node affinity (" + string.Join(" or ", pod.Placement?.RequiredTerms ?? []) + ")",
            FitCode.GpuSharingMismatch => pod.IsSharing
                ? "have GPUs that are not shared (" + Distinct(nodes, n => n.Inventory.GpuSharingEvidence) + ") and the replicas need a fractional share"
                : "have shared GPUs (" + Distinct(nodes, n => n.Inventory.GpuSharingEvidence) + ") and the replicas need whole GPUs",
            FitCode.ReservedElsewhere => "are not the reserved node",
            FitCode.NoGpu => pod.GpuResource is { } r ? $"have no {r} GPUs" : "have no GPUs",
            FitCode.GpuModelMismatch => "are the wrong GPU model (" + string.Join(", ", nodes.Select(n => n.Inventory.GpuModel ?? "unlabelled").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(3)) + ")",
            FitCode.TooFewGpuCards => string.Create(c, $"have too few GPUs ({pod.GpuCount} needed, {Range(nodes, n => n.Inventory.GpuCards)} in total)"),
            FitCode.MissingExtended => $"lack {MissingName(pod, nodes[0])}",
            FitCode.TooLittleExtended => $"have too little {ShortName(pod, nodes[0], total: true)} in total",
            FitCode.InsufficientCpu => $"lack free CPU ({Cpu(pod.CpuMilli)} needed, {RangeText(nodes, n => n.CpuFreeMilli, Cpu)} free)",
            FitCode.InsufficientMemory => $"lack free memory ({Memory(pod.MemoryBytes)} needed, {RangeText(nodes, n => n.MemoryFreeBytes, Memory)} free)",
            FitCode.TooManyPods => "have no free pod slot",
            FitCode.InsufficientGpu => string.Create(c, $"lack free GPUs ({pod.GpuCount} needed, {Range(nodes, n => n.FullyFreeCards)} free)"),
            FitCode.InsufficientGpuShare => string.Create(c, $"lack a card with {pod.GpuMilli} milli-GPU free (at most {Range(nodes, n => MaxFree(n.CardFree))} free on one card)"),
            FitCode.InsufficientExtended => $"lack free {ShortName(pod, nodes[0], total: false)}",
            _ => "refuse it",
        };
    }

    private static string Distinct(List<NodeState> nodes, Func<NodeState, string?> value) =>
        string.Join(", ", nodes.Select(value).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(3));

    private static string Range(List<NodeState> nodes, Func<NodeState, long> value) => RangeText(nodes, value, v => v.ToString(CultureInfo.InvariantCulture));

    private static string RangeText(List<NodeState> nodes, Func<NodeState, long> value, Func<long, string> format)
    {
        var min = nodes.Min(value);
        var max = nodes.Max(value);
        return min == max ? format(min) : format(min) + "–" + format(max);
    }

    private static int MaxFree(ReadOnlySpan<int> cards)
    {
        var max = 0;
        foreach (var f in cards)
        {
            max = Math.Max(max, f);
        }

        return max;
    }

    private static string MissingName(PodDemand pod, NodeState node) =>
        FitChecker.FirstMissingExtended(pod, node)?.Name ?? "an extended resource";

    private static string ShortName(PodDemand pod, NodeState node, bool total) => FitChecker.FirstShortExtended(pod, node, total) switch
    {
        { } s when total => string.Create(CultureInfo.InvariantCulture, $"{s.Name} ({s.Needed} needed, {s.Have})"),
        { } s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} ({s.Needed} needed, {s.Free} free)"),
        null => "an extended resource",
    };

    private static string Cpu(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m";

    private static string Memory(long bytes)
    {
        const long gi = 1024L * 1024 * 1024;
        const long mi = 1024L * 1024;
        return bytes >= gi && bytes % gi == 0
            ? (bytes / gi).ToString(CultureInfo.InvariantCulture) + "Gi"
            : (bytes / mi).ToString(CultureInfo.InvariantCulture) + "Mi";
    }
}
