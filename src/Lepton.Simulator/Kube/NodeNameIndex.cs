namespace Lepton.Simulator.Kube;

/// <summary>
/// Node name → position, looked up by reference first: the names kube-scheduler passes around
/// are the very string instances the index was built from, so the common case hashes an object
/// address instead of the characters.
/// </summary>
internal sealed class NodeNameIndex
{
    private readonly Dictionary<string, int> _byReference;
    private readonly Dictionary<string, int> _byValue;

    public NodeNameIndex(IReadOnlyList<string> names)
    {
        _byReference = new Dictionary<string, int>(names.Count, ReferenceEqualityComparer.Instance);
        _byValue = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            _byReference.TryAdd(names[i], i);
            _byValue.TryAdd(names[i], i);
        }
    }

    public int Count => _byValue.Count;

    public bool TryGet(string name, out int index) => _byReference.TryGetValue(name, out index) || _byValue.TryGetValue(name, out index);
}
