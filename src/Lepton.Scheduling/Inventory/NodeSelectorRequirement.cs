using System.Collections.Immutable;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// One requirement of a node selector term (<c>matchExpressions[]</c> over labels, or
/// <c>matchFields[]</c> over <c>metadata.name</c>): key, operator and values as the pod writes
/// them; <see cref="Fit.NodePredicates"/> interprets them.
/// </summary>
/// <param name="Key">The label key, or the field path for a field requirement.</param>
/// <param name="Operator"><c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, <c>Gt</c> or <c>Lt</c>.</param>
/// <param name="Values">The values.</param>
public sealed record NodeSelectorRequirement(string Key, string Operator, ImmutableArray<string> Values)
{
    /// <summary>The requirement as a pod would read it, e.g. <c>pool In (a, b)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Values.IsDefaultOrEmpty ? $"{Key} {Operator}" : $"{Key} {Operator} ({string.Join(", ", Values)})";
}
