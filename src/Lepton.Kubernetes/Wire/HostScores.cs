using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// A prioritize answer as two parallel arrays: the requested node names, in request order, and
/// each one's score 0..10. Written as the bare JSON array of <see cref="HostPriority"/> objects
/// the protocol defines, without an object per node.
/// </summary>
public sealed class HostScores
{
    /// <summary>Creates the answer.</summary>
    /// <param name="hosts">The node names, in request order.</param>
    /// <param name="scores">One score per name.</param>
    public HostScores(IReadOnlyList<string> hosts, long[] scores)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(scores);
        if (hosts.Count != scores.Length)
        {
            throw new ArgumentException($"{hosts.Count} hosts but {scores.Length} scores.", nameof(scores));
        }

        Hosts = hosts;
        Scores = scores;
    }

    /// <summary>The node names.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>The scores, one per name.</summary>
    public long[] Scores { get; }

    /// <summary>The node table <see cref="Slots"/> belong to, or null.</summary>
    internal NodeTable? Table { get; private init; }

    /// <summary>Each host's slot in <see cref="Table"/> (-1 for unknown nodes), or null: lets the writer copy names' bytes from the table.</summary>
    internal int[]? Slots { get; private init; }

    /// <summary>The number of entries.</summary>
    public int Count => Scores.Length;

    /// <summary>The same answer, with each host's node table slot for the writer.</summary>
    /// <param name="table">The table.</param>
    /// <param name="slots">One slot per host (-1 for unknown nodes); the host names must be the table's names of those slots.</param>
    /// <returns>The answer.</returns>
    internal HostScores WithSlots(NodeTable table, int[] slots) =>
        slots.Length < Count ? throw new ArgumentException("Too few slots.", nameof(slots)) : new HostScores(Hosts, Scores) { Table = table, Slots = slots };

    /// <summary>The same answer as <see cref="HostPriority"/> objects.</summary>
    /// <param name="priorities">The entries.</param>
    /// <returns>The answer.</returns>
    public static HostScores From(IReadOnlyList<HostPriority> priorities)
    {
        ArgumentNullException.ThrowIfNull(priorities);
        var hosts = new string[priorities.Count];
        var scores = new long[priorities.Count];
        for (var i = 0; i < hosts.Length; i++)
        {
            hosts[i] = priorities[i].Host ?? string.Empty;
            scores[i] = priorities[i].Score;
        }

        return new HostScores(hosts, scores);
    }
}
