using System.Globalization;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Fit;

/// <summary>
/// kube-scheduler's hard node predicates, one implementation for everything that places or
/// admits pods (DECISIONS.md 20), in the order of kube-scheduler's default filter plugins:
/// <list type="number">
/// <item><b>NodeUnschedulable</b>: a cordoned node refuses pods unless they tolerate
/// <c>node.kubernetes.io/unschedulable:NoSchedule</c>;</item>
/// <item><b>NodeName</b>: a pod with <c>spec.nodeName</c> fits only that node;</item>
/// <item><b>TaintToleration</b>: every <c>NoSchedule</c> and <c>NoExecute</c> taint must be
/// tolerated (<see cref="PodToleration.Tolerates"/>; <c>PreferNoSchedule</c> is only scored);</item>
/// <item><b>NodeAffinity</b>: every <c>spec.nodeSelector</c> pair is a node label, and one
/// required node-affinity term (ORed) has all its requirements (ANDed) hold. Operators
/// <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, <c>Gt</c>, <c>Lt</c> on labels;
/// <c>In</c>/<c>NotIn</c> with one value on the field <c>metadata.name</c>. A requirement that
/// is malformed (wrong number of values, an invalid label value, an integer that does not parse,
/// an unknown operator or field) makes its term match nothing, as
/// <c>k8s.io/component-helpers/scheduling/corev1/nodeaffinity</c> does; a term without
/// requirements matches nothing.</item>
/// </list>
/// Resource fit is <see cref="FitChecker"/>'s own part. Not handled yet (named in
/// docs/OPERATOR.md): inter-pod affinity, topology spread, PVC node affinity, host ports.
/// </summary>
public static class NodePredicates
{
    /// <summary>The only field a node selector's <c>matchFields</c> may name.</summary>
    public const string NameField = "metadata.name";

    /// <summary>Checks the predicates without allocating.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns>The first predicate the node fails, or <see cref="FitCode.Fits"/>.</returns>
    public static FitCode Check(PodDemand pod, NodeInventory node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var placement = pod.Placement;
        if (node.Unschedulable && (placement is null || !placement.Tolerates(NodeTaint.Unschedulable)))
        {
            return FitCode.NodeCordoned;
        }

        if (placement?.NodeName is { } nodeName && !string.Equals(nodeName, node.Name, StringComparison.Ordinal))
        {
            return FitCode.NodeNameMismatch;
        }

        if (FirstUntoleratedTaint(placement, node) is not null)
        {
            return FitCode.UntoleratedTaint;
        }

        if (placement is null)
        {
            return FitCode.Fits;
        }

        if (FirstUnmatchedSelector(placement, node) is not null)
        {
            return FitCode.NodeSelectorMismatch;
        }

        return MatchesRequiredAffinity(placement, node) ? FitCode.Fits : FitCode.NodeAffinityMismatch;
    }

    /// <summary>The first <c>NoSchedule</c>/<c>NoExecute</c> taint of the node the pod does not tolerate, or null.</summary>
    /// <param name="placement">The pod's constraints (null: no tolerations).</param>
    /// <param name="node">The node.</param>
    /// <returns>The taint.</returns>
    public static NodeTaint? FirstUntoleratedTaint(PodPlacement? placement, NodeInventory node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var taints = node.Taints;
        if (taints.IsDefaultOrEmpty)
        {
            return null;
        }

        foreach (var taint in taints)
        {
            if (taint.IsHard && (placement is null || !placement.Tolerates(taint)))
            {
                return taint;
            }
        }

        return null;
    }

    /// <summary>The first <c>nodeSelector</c> pair the node's labels lack, or null.</summary>
    /// <param name="placement">The pod's constraints.</param>
    /// <param name="node">The node.</param>
    /// <returns>The pair.</returns>
    public static KeyValuePair<string, string>? FirstUnmatchedSelector(PodPlacement placement, NodeInventory node)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(node);
        var selector = placement.NodeSelector;
        if (selector.IsDefaultOrEmpty)
        {
            return null;
        }

        foreach (var pair in selector)
        {
            if (!node.Labels.TryGetValue(pair.Key, out var value) || !string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                return pair;
            }
        }

        return null;
    }

    /// <summary>Whether the node satisfies the pod's required node affinity (true when the pod has none).</summary>
    /// <param name="placement">The pod's constraints.</param>
    /// <param name="node">The node.</param>
    /// <returns>True when one term matches.</returns>
    public static bool MatchesRequiredAffinity(PodPlacement placement, NodeInventory node)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(node);
        var terms = placement.RequiredTerms;
        if (terms.IsDefault)
        {
            return true;
        }

        foreach (var term in terms)
        {
            if (Matches(term, node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every requirement of the term holds on the node (a term without requirements matches nothing).</summary>
    /// <param name="term">The term.</param>
    /// <param name="node">The node.</param>
    /// <returns>True when the term matches.</returns>
    public static bool Matches(NodeSelectorTerm term, NodeInventory node)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(node);
        var expressions = term.MatchExpressions.IsDefault ? [] : term.MatchExpressions;
        var fields = term.MatchFields.IsDefault ? [] : term.MatchFields;
        if (expressions.Length == 0 && fields.Length == 0)
        {
            return false;
        }

        foreach (var r in expressions)
        {
            if (!MatchesLabel(r, node.Labels))
            {
                return false;
            }
        }

        foreach (var r in fields)
        {
            if (!MatchesField(r, node.Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a label requirement holds for the labels (false for a malformed requirement).</summary>
    /// <param name="requirement">The requirement.</param>
    /// <param name="labels">The node's labels.</param>
    /// <returns>True when it holds.</returns>
    public static bool MatchesLabel(NodeSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(labels);
        var values = requirement.Values.IsDefault ? [] : requirement.Values;
        if (string.IsNullOrEmpty(requirement.Key))
        {
            return false;
        }

        var has = labels.TryGetValue(requirement.Key, out var value);
        switch (requirement.Operator)
        {
            case "In":
            case "NotIn":
                if (values.Length == 0)
                {
                    return false;
                }

                var found = false;
                foreach (var v in values)
                {
                    if (!IsValidLabelValue(v))
                    {
                        return false;
                    }

                    found |= has && string.Equals(v, value, StringComparison.Ordinal);
                }

                return requirement.Operator == "In" ? found : !found;
            case "Exists":
                return values.Length == 0 && has;
            case "DoesNotExist":
                return values.Length == 0 && !has;
            case "Gt":
            case "Lt":
                if (values.Length != 1 || !TryParseInteger(values[0], out var bound) || !has || !TryParseInteger(value, out var actual))
                {
                    return false;
                }

                return requirement.Operator == "Gt" ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>Whether a field requirement holds for the node name: only <c>metadata.name</c>, with <c>In</c> or <c>NotIn</c> and exactly one value.</summary>
    /// <param name="requirement">The requirement.</param>
    /// <param name="nodeName">The node's name.</param>
    /// <returns>True when it holds.</returns>
    public static bool MatchesField(NodeSelectorRequirement requirement, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var values = requirement.Values.IsDefault ? [] : requirement.Values;
        if (!string.Equals(requirement.Key, NameField, StringComparison.Ordinal) || values.Length != 1)
        {
            return false;
        }

        var same = string.Equals(values[0], nodeName, StringComparison.Ordinal);
        return requirement.Operator switch
        {
            "In" => same,
            "NotIn" => !same,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a text is a valid label value: empty, or at most 63 characters of letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c> that start and end with a letter or digit.
    /// </summary>
    /// <param name="value">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidLabelValue(string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (value.Length == 0)
        {
            return true;
        }

        if (value.Length > 63 || !char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    // Gt and Lt compare labels as 64-bit integers (leading zeros allowed: "0206" > "0204").
    private static bool TryParseInteger(string? text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Whether the node's GPU sharing suits the pod: a fractional pod needs shared GPUs, a
    /// whole-GPU pod unshared ones; <see cref="GpuSharing.Unknown"/> suits both. Not one of
    /// kube-scheduler's predicates: a Lepton rule until a node agent isolates shares.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="sharing">The node's GPU sharing.</param>
    /// <returns>True when the node can honour the pod's kind of GPU request.</returns>
    public static bool SuitsGpuSharing(PodDemand pod, GpuSharing sharing)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return sharing switch
        {
            GpuSharing.Exclusive => !pod.IsSharing,
            GpuSharing.Shared => pod.IsSharing || !pod.NeedsGpu,
            _ => true,
        };
    }
}
