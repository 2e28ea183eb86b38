using System.Collections.ObjectModel;
using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// A request's <c>NodeNames</c> as the interning reader parsed them: the names, in request order,
/// and each one's slot in the node table that was current while parsing (-1 for a node Lepton
/// does not know). Filter and prioritize fit and score by slot when that table is still the
/// current one, instead of looking every name up again.
/// </summary>
public sealed class ResolvedNodeNames : ReadOnlyCollection<string>
{
    internal ResolvedNodeNames(string[] names, int[] slots, NodeTable? table)
        : base(names)
    {
        Names = names;
        Slots = slots;
        Table = table;
    }

    /// <summary>The names, in request order.</summary>
    internal string[] Names { get; }

    /// <summary>For each name, its slot in <see cref="Table"/>, or -1.</summary>
    internal int[] Slots { get; }

    /// <summary>The node table the slots belong to, or null when the reader had none.</summary>
    internal NodeTable? Table { get; }
}
