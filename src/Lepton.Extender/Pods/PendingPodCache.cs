using System.Diagnostics.CodeAnalysis;
using Lepton.Scheduling.Inventory;

namespace Lepton.Extender.Pods;

/// <summary>
/// The per-pod parse cache of filter and prioritize: a request whose pod has the same UID,
/// <c>resourceVersion</c> and exact JSON bytes as an entry skips mapping the pod again. It only
/// speeds up parsing: <c>/bind</c> never reads it (it takes the pod from the informer cache or the
/// state file, <see cref="Scheduling.Serving.IPodLookup"/>), and a body that differs by a byte
/// from the cached one is mapped afresh, so a forged body cannot change another request's answer.
/// Bounded: entries expire after a time to live measured with the injected clock, and the oldest
/// go first when full.
/// </summary>
public sealed class PendingPodCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byUid = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _byAge = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly int _capacity;

    /// <summary>Creates a cache.</summary>
    /// <param name="time">The clock for expiry.</param>
    /// <param name="ttl">How long an entry lives after it was last stored.</param>
    /// <param name="capacity">The most entries kept.</param>
    public PendingPodCache(TimeProvider time, TimeSpan ttl, int capacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _ttl = ttl;
        _capacity = capacity;
    }

    /// <summary>The number of entries, expired ones not yet dropped included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byUid.Count;
            }
        }
    }

    /// <summary>Remembers a pod (replacing an older entry of the same UID).</summary>
    /// <param name="pod">The pod's demand.</param>
    /// <param name="resourceVersion">The pod's <c>metadata.resourceVersion</c>, or null.</param>
    /// <param name="json">The pod's JSON bytes as the request carried them, or empty.</param>
    public void Remember(PodDemand pod, string? resourceVersion = null, ReadOnlySpan<byte> json = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_byUid.Remove(pod.Uid, out var old))
            {
                _byAge.Remove(old);
            }

            var node = _byAge.AddLast(new Entry(pod, resourceVersion, json.ToArray(), now + _ttl));
            _byUid[pod.Uid] = node;
            while (_byUid.Count > _capacity || (_byAge.First is { } first && first.Value.Expires <= now))
            {
                _byUid.Remove(_byAge.First!.Value.Pod.Uid);
                _byAge.RemoveFirst();
            }
        }
    }

    /// <summary>Looks a pod up by UID.</summary>
    /// <param name="uid">The pod UID.</param>
    /// <param name="pod">The pod's demand.</param>
    /// <returns>True when the pod was seen within the time to live.</returns>
    public bool TryGet(string uid, [NotNullWhen(true)] out PodDemand? pod) => TryGet(uid, null, default, out pod);

    /// <summary>Looks a pod up by UID and, when given, resource version and JSON bytes.</summary>
    /// <param name="uid">The pod UID.</param>
    /// <param name="resourceVersion">The resource version the entry must have, or null for any.</param>
    /// <param name="json">The JSON bytes the entry must have been read from, or empty for any.</param>
    /// <param name="pod">The pod's demand.</param>
    /// <returns>True when a matching live entry exists.</returns>
    public bool TryGet(string uid, string? resourceVersion, ReadOnlySpan<byte> json, [NotNullWhen(true)] out PodDemand? pod)
    {
        pod = null;
        if (uid is null)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byUid.TryGetValue(uid, out var node))
            {
                return false;
            }

            var entry = node.Value;
            if (entry.Expires <= now)
            {
                _byUid.Remove(uid);
                _byAge.Remove(node);
                return false;
            }

            if (resourceVersion is not null && !string.Equals(resourceVersion, entry.ResourceVersion, StringComparison.Ordinal))
            {
                return false;
            }

            if (!json.IsEmpty && !json.SequenceEqual(entry.Json))
            {
                return false;
            }

            pod = entry.Pod;
            return true;
        }
    }

    /// <summary>Forgets a pod.</summary>
    /// <param name="uid">The pod UID.</param>
    /// <returns>True when it was remembered.</returns>
    public bool Forget(string uid)
    {
        lock (_gate)
        {
            if (!_byUid.Remove(uid, out var node))
            {
                return false;
            }

            _byAge.Remove(node);
            return true;
        }
    }

    private sealed record Entry(PodDemand Pod, string? ResourceVersion, byte[] Json, DateTimeOffset Expires);
}
