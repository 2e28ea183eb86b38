namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>
/// A bounded ring of recent events (the watch cache / etcd history). A watch may resume from any
/// resourceVersion at or after <see cref="Floor"/>; older ones get 410 Expired.
/// </summary>
internal sealed class EventHistory(int capacity, long initialResourceVersion)
{
    private readonly Queue<StoreEvent> _events = new();

    /// <summary>The oldest resourceVersion a watch may resume from: every event after it is retained.</summary>
    public long Floor { get; private set; } = initialResourceVersion;

    public int Count => _events.Count;

    public void Add(StoreEvent change)
    {
        if (capacity <= 0)
        {
            Floor = change.ResourceVersion;
            return;
        }

        while (_events.Count >= capacity)
        {
            Floor = _events.Dequeue().ResourceVersion;
        }

        _events.Enqueue(change);
    }

    /// <summary>Discards all history: only watches from <paramref name="currentResourceVersion"/> on may resume.</summary>
    public void Compact(long currentResourceVersion)
    {
        _events.Clear();
        Floor = currentResourceVersion;
    }

    public IEnumerable<StoreEvent> After(long resourceVersion) => _events.Where(e => e.ResourceVersion > resourceVersion);
}
