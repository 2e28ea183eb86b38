using System.Collections.Frozen;
using System.Collections.Immutable;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Fit;

/// <summary>
/// The cases of kube-scheduler's own filter plugin tests (nodeaffinity, tainttoleration,
/// nodeunschedulable, nodename, and component-helpers' nodeaffinity), rewritten as data in a
/// small notation: labels <c>k=v,k2=v2</c>; affinity terms joined by <c> || </c>, requirements in
/// a term by <c> &amp;&amp; </c>, each <c>key Op v1,v2</c> (a field requirement starts with
/// <c>field:</c>), <c>()</c> an empty term and <c>[]</c> an empty term list; taints
/// <c>key=value:Effect</c>; tolerations <c>key|Op|value|Effect</c> separated by <c>;</c>.
/// </summary>
public class NodePredicatesTests
{
    public static TheoryData<string, string?, string?, string?, string, FitCode> AffinityCases => new()
    {
        // name, node labels, nodeSelector, required affinity, node name, expected
        { "selector key missing from node", null, "foo=bar", null, "node1", FitCode.NodeSelectorMismatch },
        { "selector equals node labels", "foo=bar", "foo=bar", null, "node1", FitCode.Fits },
        { "node labels a superset of the selector", "foo=bar,baz=blah", "foo=bar", null, "node1", FitCode.Fits },
        { "node labels a subset of the selector", "foo=bar", "foo=bar,baz=blah", null, "node1", FitCode.NodeSelectorMismatch },
        { "In matches one of the values", "foo=bar", null, "foo In bar,value2", "node1", FitCode.Fits },
        { "Gt compares integers with leading zeros", "kernel-version=0206", null, "kernel-version Gt 0204", "node1", FitCode.Fits },
        { "Gt with a smaller label fails", "kernel-version=0202", null, "kernel-version Gt 0204", "node1", FitCode.NodeAffinityMismatch },
        { "Lt with a smaller label matches", "kernel-version=0202", null, "kernel-version Lt 0204", "node1", FitCode.Fits },
        { "Gt on a label that is not an integer fails", "kernel-version=6.1", null, "kernel-version Gt 5", "node1", FitCode.NodeAffinityMismatch },
        { "Gt on a missing label fails", null, null, "kernel-version Gt 5", "node1", FitCode.NodeAffinityMismatch },
        { "Gt with two values is malformed", "kernel-version=9", null, "kernel-version Gt 5,6", "node1", FitCode.NodeAffinityMismatch },
        { "NotIn with a different value matches", "mem-type=DDR3", null, "mem-type NotIn DDR,DDR2", "node1", FitCode.Fits },
        { "NotIn with the key absent matches", null, null, "mem-type NotIn DDR", "node1", FitCode.Fits },
        { "NotIn with the same value fails", "mem-type=DDR", null, "mem-type NotIn DDR,DDR2", "node1", FitCode.NodeAffinityMismatch },
        { "Exists matches any value", "GPU=NVIDIA-GRID-K1", null, "GPU Exists", "node1", FitCode.Fits },
        { "Exists with a value is malformed", "GPU=NVIDIA-GRID-K1", null, "GPU Exists x", "node1", FitCode.NodeAffinityMismatch },
        { "DoesNotExist with the key absent matches", "foo=bar", null, "GPU DoesNotExist", "node1", FitCode.Fits },
        { "DoesNotExist with the key present fails", "GPU=x", null, "GPU DoesNotExist", "node1", FitCode.NodeAffinityMismatch },
        { "In with no matching value fails", "foo=bar", null, "foo In value1,value2", "node1", FitCode.NodeAffinityMismatch },
        { "In without values is malformed", "foo=bar", null, "foo In", "node1", FitCode.NodeAffinityMismatch },
        { "an unknown operator matches nothing", "foo=bar", null, "foo Like bar", "node1", FitCode.NodeAffinityMismatch },
        { "a term without requirements matches nothing", "foo=bar", null, "()", "node1", FitCode.NodeAffinityMismatch },
        { "an empty list of terms matches nothing", "foo=bar", null, "[]", "node1", FitCode.NodeAffinityMismatch },
        { "no affinity schedules anywhere", "foo=bar", null, null, "node1", FitCode.Fits },
        { "requirements in a term are ANDed (both hold)", "GPU=NVIDIA-GRID-K1", null, "GPU Exists && GPU NotIn AMD,INTER", "node1", FitCode.Fits },
        { "requirements in a term are ANDed (one fails)", "GPU=NVIDIA-GRID-K1", null, "GPU Exists && GPU In AMD,INTER", "node1", FitCode.NodeAffinityMismatch },
        { "terms are ORed", "foo=bar", null, "foo In bar,value2 || diffkey In wrong,value2", "node1", FitCode.Fits },
        { "a malformed term does not stop another from matching", "foo=bar", null, "foo Gt x || foo In bar", "node1", FitCode.Fits },
        { "selector and affinity both satisfied", "foo=bar", "foo=bar", "foo Exists", "node1", FitCode.Fits },
        { "affinity satisfied but selector not", "foo=barrrrrr", "foo=bar", "foo Exists", "node1", FitCode.NodeSelectorMismatch },
        { "an invalid label value makes the term fail", "foo=bar", null, "foo NotIn invalid value: ___@#$%^", "node1", FitCode.NodeAffinityMismatch },
        { "matchFields In names this node", null, null, "field:metadata.name In node1", "node1", FitCode.Fits },
        { "matchFields In names another node", null, null, "field:metadata.name In node1", "node2", FitCode.NodeAffinityMismatch },
        { "matchFields NotIn names another node", null, null, "field:metadata.name NotIn node1", "node2", FitCode.Fits },
        { "matchFields on another field matches nothing", null, null, "field:metadata.uid In node1", "node1", FitCode.NodeAffinityMismatch },
        { "matchFields In with two values is malformed", null, null, "field:metadata.name In node1,node2", "node1", FitCode.NodeAffinityMismatch },
        { "two terms: fields fail, expressions match", "foo=bar", null, "field:metadata.name In node1 && field:metadata.name In node2 || foo In bar", "node2", FitCode.Fits },
        { "one term: fields fail, expressions match", "foo=bar", null, "field:metadata.name In node1 && foo In bar", "node2", FitCode.NodeAffinityMismatch },
        { "one term: fields and expressions both match", "foo=bar", null, "field:metadata.name In node1 && foo In bar", "node1", FitCode.Fits },
    };

    public static TheoryData<string, string?, string, FitCode> TaintCases => new()
    {
        // name, pod tolerations, node taints, expected
        { "no tolerations, a NoSchedule taint", null, "dedicated=user1:NoSchedule", FitCode.UntoleratedTaint },
        { "no tolerations, a NoExecute taint", null, "dedicated=user1:NoExecute", FitCode.UntoleratedTaint },
        { "tolerated by key, value and effect (no operator)", "dedicated||user1|NoSchedule", "dedicated=user1:NoSchedule", FitCode.Fits },
        { "Equal with another value", "dedicated|Equal|user2|NoSchedule", "dedicated=user1:NoSchedule", FitCode.UntoleratedTaint },
        { "Exists tolerates any value of the key", "foo|Exists||NoSchedule", "foo=bar:NoSchedule", FitCode.Fits },
        { "Exists for another key", "bar|Exists||NoSchedule", "foo=bar:NoSchedule", FitCode.UntoleratedTaint },
        { "several tolerations cover several taints", "dedicated|Equal|user2|NoSchedule;foo|Exists||NoSchedule", "dedicated=user2:NoSchedule,foo=bar:NoSchedule", FitCode.Fits },
        { "one of two taints untolerated", "foo|Exists||NoSchedule", "dedicated=user2:NoSchedule,foo=bar:NoSchedule", FitCode.UntoleratedTaint },
        { "a non-empty effect that differs", "foo|Equal|bar|PreferNoSchedule", "foo=bar:NoSchedule", FitCode.UntoleratedTaint },
        { "an empty effect matches every effect", "foo|Equal|bar|", "foo=bar:NoSchedule", FitCode.Fits },
        { "PreferNoSchedule is ignored by the filter", "dedicated|Equal|user2|NoSchedule", "dedicated=user1:PreferNoSchedule", FitCode.Fits },
        { "PreferNoSchedule without tolerations", null, "dedicated=user1:PreferNoSchedule", FitCode.Fits },
        { "an empty key with Exists tolerates everything", "|Exists||", "a=b:NoSchedule,c=d:NoExecute", FitCode.Fits },
        { "an empty key with Exists and an effect tolerates only that effect", "|Exists||NoSchedule", "a=b:NoSchedule,c=d:NoExecute", FitCode.UntoleratedTaint },
        { "Gt toleration (alpha, gate off) tolerates nothing", "node.kubernetes.io/sla|Gt|750|NoSchedule", "node.kubernetes.io/sla=950:NoSchedule", FitCode.UntoleratedTaint },
        { "a taint without value and a toleration without value", "gpu|Equal||NoSchedule", "gpu:NoSchedule", FitCode.Fits },
    };

    public static TheoryData<string, bool, string?, FitCode> UnschedulableCases => new()
    {
        { "schedulable node, no tolerations", false, null, FitCode.Fits },
        { "cordoned node, no tolerations", true, null, FitCode.NodeCordoned },
        { "cordoned node, the unschedulable taint tolerated", true, "node.kubernetes.io/unschedulable|Exists||NoSchedule", FitCode.Fits },
        { "cordoned node, another taint tolerated", true, "dedicated|Exists||NoSchedule", FitCode.NodeCordoned },
        { "cordoned node, everything tolerated", true, "|Exists||", FitCode.Fits },
    };

    public static TheoryData<string?, string, FitCode> NodeNameCases => new()
    {
        { null, "foo", FitCode.Fits },
        { "foo", "foo", FitCode.Fits },
        { "bar", "foo", FitCode.NodeNameMismatch },
    };

    [Theory]
    [MemberData(nameof(AffinityCases))]
    public void Check_NodeAffinityCases_MatchKubeScheduler(string name, string? labels, string? selector, string? affinity, string nodeName, FitCode expected)
    {
        var node = Make.Node(nodeName) with { Labels = Labels(labels) };
        var pod = Make.Pod() with { Placement = new PodPlacement { NodeSelector = [.. Labels(selector).OrderBy(p => p.Key, StringComparer.Ordinal)], RequiredTerms = Terms(affinity) } };

        Assert.True(expected == NodePredicates.Check(pod, node), name);
        Assert.Equal(expected, FitChecker.Check(pod, NodeState.Empty(node)));
    }

    [Theory]
    [MemberData(nameof(TaintCases))]
    public void Check_TaintTolerationCases_MatchKubeScheduler(string name, string? tolerations, string taints, FitCode expected)
    {
        var node = Make.Node("nodeA") with { Taints = Taints(taints) };
        var pod = Make.Pod() with { Placement = tolerations is null ? null : new PodPlacement { Tolerations = Tolerations(tolerations) } };

        Assert.True(expected == NodePredicates.Check(pod, node), name);
        Assert.Equal(expected, FitChecker.Check(pod, NodeState.Empty(node)));
    }

    [Theory]
    [MemberData(nameof(UnschedulableCases))]
    public void Check_NodeUnschedulableCases_MatchKubeScheduler(string name, bool unschedulable, string? tolerations, FitCode expected)
    {
        var node = Make.Node("nodeA") with { Unschedulable = unschedulable };
        var pod = Make.Pod() with { Placement = tolerations is null ? null : new PodPlacement { Tolerations = Tolerations(tolerations) } };

        Assert.True(expected == FitChecker.Check(pod, NodeState.Empty(node)), name);
    }

    [Theory]
    [MemberData(nameof(NodeNameCases))]
    public void Check_NodeNameCases_MatchKubeScheduler(string? podNodeName, string nodeName, FitCode expected)
    {
        var pod = Make.Pod() with { Placement = podNodeName is null ? null : new PodPlacement { NodeName = podNodeName } };

        Assert.Equal(expected, FitChecker.Check(pod, NodeState.Empty(Make.Node(nodeName))));
    }

    [Fact]
    public void Explain_UntoleratedTaint_NamesTheTaintAndIsUnresolvable()
    {
        var node = NodeState.Empty(Make.Node("n") with { Taints = Taints("gpu=reserved:NoSchedule") });

        var result = FitChecker.Explain(Make.Pod(), node);

        Assert.Equal("Untolerated taint: node has gpu=reserved:NoSchedule", result.Message);
        Assert.True(result.IsUnresolvable);
    }

    [Fact]
    public void Explain_NodeSelectorMismatch_NamesTheLabel()
    {
        var node = NodeState.Empty(Make.Node("n") with { Labels = Labels("pool=a") });
        var pod = Make.Pod() with { Placement = new PodPlacement { NodeSelector = [new("pool", "does-not-exist")] } };

        var result = FitChecker.Explain(pod, node);

        Assert.Equal("Node selector mismatch: pod needs pool=does-not-exist, node has pool=a", result.Message);
        Assert.True(result.IsUnresolvable);
    }

    [Fact]
    public void Explain_NodeAffinityMismatch_NamesTheTerms()
    {
        var pod = Make.Pod() with { Placement = new PodPlacement { RequiredTerms = Terms("zone In a,b || pool Exists") } };

        var result = FitChecker.Explain(pod, NodeState.Empty(Make.Node("n")));

        Assert.Equal("Node affinity mismatch: node matches no required term (zone In (a, b) or pool Exists)", result.Message);
        Assert.True(result.IsUnresolvable);
    }

    [Fact]
    public void Check_PredicateFailsOnFullNode_ReportsThePredicateNotTheResources()
    {
        var node = Make.State(Make.Node("n") with { Taints = Taints("a=b:NoExecute") }, [0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(FitCode.UntoleratedTaint, FitChecker.Check(Make.Pod(gpus: 1), node));
    }

    [Theory]
    [InlineData(GpuSharing.Unknown, 600, 1, FitCode.Fits)]
    [InlineData(GpuSharing.Unknown, 1000, 2, FitCode.Fits)]
    [InlineData(GpuSharing.Exclusive, 600, 1, FitCode.GpuSharingMismatch)]
    [InlineData(GpuSharing.Exclusive, 1000, 2, FitCode.Fits)]
    [InlineData(GpuSharing.Shared, 600, 1, FitCode.Fits)]
    [InlineData(GpuSharing.Shared, 1000, 1, FitCode.GpuSharingMismatch)]
    [InlineData(GpuSharing.Shared, 0, 0, FitCode.Fits)]
    [InlineData(GpuSharing.Exclusive, 0, 0, FitCode.Fits)]
    public void Check_GpuSharing_KeepsWholeGpusAndSharesApart(GpuSharing sharing, int milli, int gpus, FitCode expected)
    {
        var node = NodeState.Empty(Make.Node("n") with { GpuSharing = sharing });

        Assert.Equal(expected, FitChecker.Check(Make.Pod(gpus: gpus, milli: milli), node));
    }

    [Fact]
    public void Explain_ShareOnUnsharedNode_SaysWhyAndIsUnresolvable()
    {
        var node = NodeState.Empty(Make.Node("n") with { GpuSharing = GpuSharing.Exclusive, GpuSharingEvidence = "nvidia.com/gpu.replicas=1" });

        var result = FitChecker.Explain(Make.Share(600), node);

        Assert.Equal("GPU sharing: pod asks for 600 milli of one GPU, but node's GPUs are not shared (nvidia.com/gpu.replicas=1)", result.Message);
        Assert.True(result.IsUnresolvable);
    }

    [Fact]
    public void Explain_WholeGpuOnSharedNode_SaysWhyAndIsUnresolvable()
    {
        var node = NodeState.Empty(Make.Node("n") with { GpuSharing = GpuSharing.Shared, GpuSharingEvidence = "nvidia.com/gpu.replicas=4" });

        var result = FitChecker.Explain(Make.Pod(gpus: 1), node);

        Assert.StartsWith("GPU sharing: pod asks for 1 whole GPU(s), but node's GPUs are shared (nvidia.com/gpu.replicas=4)", result.Message, StringComparison.Ordinal);
        Assert.True(result.IsUnresolvable);
    }

    private static IReadOnlyDictionary<string, string> Labels(string? text) => text is null
        ? FrozenDictionary<string, string>.Empty
        : text.Split(',').Select(p => p.Split('=', 2)).ToFrozenDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static ImmutableArray<NodeTaint> Taints(string text) =>
        [.. text.Split(',').Select(t =>
        {
            var effectAt = t.LastIndexOf(':');
            var kv = t[..effectAt].Split('=', 2);
            return new NodeTaint(kv[0], kv.Length > 1 ? kv[1] : string.Empty, t[(effectAt + 1)..]);
        })];

    private static ImmutableArray<PodToleration> Tolerations(string text) =>
        [.. text.Split(';').Select(t => t.Split('|')).Select(p => new PodToleration(p[0], p[1], p[2], p[3]))];

    private static ImmutableArray<NodeSelectorTerm> Terms(string? text)
    {
        if (text is null)
        {
            return default;
        }

        if (text == "[]")
        {
            return [];
        }

        return [.. text.Split(" || ").Select(term =>
        {
            if (term == "()")
            {
                return new NodeSelectorTerm([], []);
            }

            var requirements = term.Split(" && ").Select(r =>
            {
                var field = r.StartsWith("field:", StringComparison.Ordinal);
                var parts = (field ? r[6..] : r).Split(' ', 3);
                ImmutableArray<string> values = parts.Length > 2 ? [.. (parts[1] is "In" or "NotIn" && parts[2].Contains(':', StringComparison.Ordinal) ? [parts[2]] : parts[2].Split(','))] : [];
                return (Field: field, Requirement: new NodeSelectorRequirement(parts[0], parts[1], values));
            }).ToList();
            return new NodeSelectorTerm(
                [.. requirements.Where(r => !r.Field).Select(r => r.Requirement)],
                [.. requirements.Where(r => r.Field).Select(r => r.Requirement)]);
        })];
    }
}
