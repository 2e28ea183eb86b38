using System.Collections.Immutable;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// A pod's hard constraints on nodes, as kube-scheduler's filter plugins read them: a fixed
/// <c>spec.nodeName</c>, <c>spec.nodeSelector</c>, required node affinity and tolerations
/// (DECISIONS.md 20). A pod with none of them has no <see cref="PodPlacement"/> at all
/// (<see cref="PodDemand.Placement"/> is null), so it costs the fit check nothing.
/// </summary>
public sealed record PodPlacement
{
    /// <summary><c>spec.nodeName</c> when set (the pod may run only there), else null.</summary>
    public string? NodeName { get; init; }

    /// <summary><c>spec.nodeSelector</c>: every pair must be a label of the node.</summary>
    public ImmutableArray<KeyValuePair<string, string>> NodeSelector { get; init; } = [];

    /// <summary>
    /// <c>requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms</c> (ORed), or default
    /// when the pod has no required node affinity; an empty list matches no node.
    /// </summary>
    public ImmutableArray<NodeSelectorTerm> RequiredTerms { get; init; }

    /// <summary><c>spec.tolerations</c>.</summary>
    public ImmutableArray<PodToleration> Tolerations { get; init; } = [];

    /// <summary>
    /// Whether the pod itself can refuse a node (a node name, a selector or required affinity).
    /// Tolerations alone cannot: they only matter on a cordoned or tainted node, which the fit check
    /// knows from the node (<c>NodeState.HasNodePredicates</c>).
    /// </summary>
    public bool ConstrainsNode => NodeName is not null || !NodeSelector.IsDefaultOrEmpty || !RequiredTerms.IsDefault;

    /// <summary>Whether the placement has nothing at all (no node name, selector, affinity or toleration).</summary>
    public bool IsEmpty => NodeName is null && NodeSelector.IsDefaultOrEmpty && RequiredTerms.IsDefault && Tolerations.IsDefaultOrEmpty;

    /// <summary>
    /// The constraints of a pod that replaces this one (a rebalancer move, a re-created pod): a bound pod's
    /// <c>spec.nodeName</c> is its binding, not a constraint, and its replacement has none.
    /// </summary>
    /// <returns>The constraints without <see cref="NodeName"/>, or null when nothing else is left.</returns>
    public PodPlacement? WithoutNodeName()
    {
        if (NodeName is null)
        {
            return this;
        }

        var rest = this with { NodeName = null };
        return rest.IsEmpty ? null : rest;
    }

    /// <summary>Whether one of the tolerations tolerates <paramref name="taint"/>.</summary>
    /// <param name="taint">The taint.</param>
    /// <returns>True when tolerated.</returns>
    public bool Tolerates(NodeTaint taint)
    {
        foreach (var t in Tolerations.IsDefault ? [] : Tolerations)
        {
            if (t.Tolerates(taint))
            {
                return true;
            }
        }

        return false;
    }
}
