using System.Collections.Concurrent;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Reuses one string per node name across requests: a 5,000-node request then allocates no
/// name strings. Bounded: cleared when it would exceed its capacity (names a client invents
/// cannot grow it without limit).
/// </summary>
internal sealed class NodeNameInterner(int capacity = 65_536)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Intern(ReadOnlySpan<char> name)
    {
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out var known))
        {
            return known;
        }

        if (_names.Count >= capacity)
        {
            _names.Clear();
        }

        var text = name.ToString();
        return _names.GetOrAdd(text, text);
    }
}
