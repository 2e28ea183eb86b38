using System.Collections.Concurrent;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Reuses one string per node name across requests: a 5,000-node request then allocates no
/// name strings. Bounded: cleared when it would exceed its capacity (names a client invents
/// cannot grow it without limit).
/// </summary>
/// <remarks>
/// A new name costs one dictionary insert. The size is kept in an <see cref="Interlocked"/>
/// counter: <see cref="ConcurrentDictionary{TKey, TValue}.Count"/> takes every bucket lock, and
/// reading it per new name made each unknown name cost 12-17 µs (issue 12). The counter may run
/// a little ahead of the dictionary when two threads add the same name at once; the bound only
/// needs to be approximate.
/// </remarks>
internal sealed class NodeNameInterner(int capacity = 65_536)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The approximate number of names held.</summary>
    public int Count => Volatile.Read(ref _count);

    public string Intern(ReadOnlySpan<char> name)
    {
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out var known))
        {
            return known;
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            _names.Clear();
            Volatile.Write(ref _count, 1);
        }

        var text = name.ToString();
        return _names.GetOrAdd(text, text);
    }
}
