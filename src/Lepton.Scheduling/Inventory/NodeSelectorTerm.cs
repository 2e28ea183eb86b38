using System.Collections.Immutable;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// One term of a required node affinity: all its requirements must hold (ANDed); a term without
/// any requirement matches no node (core/v1's rule).
/// </summary>
/// <param name="MatchExpressions">Requirements on node labels.</param>
/// <param name="MatchFields">Requirements on node fields (only <c>metadata.name</c> exists).</param>
public sealed record NodeSelectorTerm(ImmutableArray<NodeSelectorRequirement> MatchExpressions, ImmutableArray<NodeSelectorRequirement> MatchFields)
{
    /// <summary>The term as a pod would read it, requirements joined by <c>and</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var parts = (MatchExpressions.IsDefault ? [] : MatchExpressions).Concat(MatchFields.IsDefault ? [] : MatchFields).Select(r => r.ToString()).ToList();
        return parts.Count == 0 ? "(empty term)" : string.Join(" and ", parts);
    }
}
