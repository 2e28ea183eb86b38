using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers.Caching;

/// <summary>
/// A thread-safe store of the objects of one resource, keyed by <see cref="NamespacedName"/>, with
/// secondary indexes (client-go's <c>Indexer</c>). Written only by its informer; read by anyone.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed class ObjectCache<T> : IObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NamespacedName, T> _items = [];
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private volatile bool _hasSynced;

    /// <summary>Creates an empty cache with the <see cref="CacheIndexers.Namespace"/> index.</summary>
    public ObjectCache()
    {
        AddIndexer(CacheIndexers.Namespace, static o => o.Metadata?.NamespaceProperty is { Length: > 0 } ns ? [ns] : []);
    }

    /// <inheritdoc />
    public bool HasSynced => _hasSynced;

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <inheritdoc />
    public T? Get(NamespacedName key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<T> List(string @namespace) => ByIndex(CacheIndexers.Namespace, @namespace);

    /// <inheritdoc />
    public IReadOnlyList<T> ByIndex(string indexName, string indexValue)
    {
        ArgumentNullException.ThrowIfNull(indexName);
        ArgumentNullException.ThrowIfNull(indexValue);
        lock (_gate)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"No index named '{indexName}'.", nameof(indexName));
            }

            return index.Entries.TryGetValue(indexValue, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> IndexValues(string indexName)
    {
        ArgumentNullException.ThrowIfNull(indexName);
        lock (_gate)
        {
            return _indexes.TryGetValue(indexName, out var index)
                ? [.. index.Entries.Keys]
                : throw new ArgumentException($"No index named '{indexName}'.", nameof(indexName));
        }
    }

    /// <inheritdoc />
    public void AddIndexer(string indexName, Func<T, IEnumerable<string>> indexer)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexName);
        ArgumentNullException.ThrowIfNull(indexer);
        lock (_gate)
        {
            if (_indexes.ContainsKey(indexName))
            {
                return;
            }

            var index = new Index(indexer);
            foreach (var (key, obj) in _items)
            {
                index.Add(key, obj);
            }

            _indexes.Add(indexName, index);
        }
    }

    /// <summary>Inserts or replaces an object; returns the previous one.</summary>
    internal T? Upsert(T obj)
    {
        var key = NamespacedName.Of(obj);
        lock (_gate)
        {
            _items.TryGetValue(key, out var old);
            if (old is not null)
            {
                RemoveFromIndexesLocked(key, old);
            }

            _items[key] = obj;
            foreach (var index in _indexes.Values)
            {
                index.Add(key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes an object; returns it, or null when it was not cached.</summary>
    internal T? Remove(NamespacedName key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            RemoveFromIndexesLocked(key, old);
            return old;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh LIST and returns what changed: new keys as Added, keys whose
    /// resourceVersion changed as Updated, vanished keys as Deleted (synthesized: their last known state).
    /// </summary>
    internal List<ResourceEventChange<T>> Replace(IReadOnlyList<T> items)
    {
        var changes = new List<ResourceEventChange<T>>();
        lock (_gate)
        {
            var seen = new HashSet<NamespacedName>();
            foreach (var obj in items)
            {
                var key = NamespacedName.Of(obj);
                seen.Add(key);
                _items.TryGetValue(key, out var old);
                if (old is not null && old.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
                {
                    continue;
                }

                if (old is not null)
                {
                    RemoveFromIndexesLocked(key, old);
                }

                _items[key] = obj;
                foreach (var index in _indexes.Values)
                {
                    index.Add(key, obj);
                }

                changes.Add(new ResourceEventChange<T>(old, obj));
            }

            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                var old = _items[key];
                _items.Remove(key);
                RemoveFromIndexesLocked(key, old);
                changes.Add(new ResourceEventChange<T>(old, null));
            }
        }

        return changes;
    }

    /// <summary>Marks the cache as synced (the first LIST is in).</summary>
    internal void MarkSynced() => _hasSynced = true;

    private void RemoveFromIndexesLocked(NamespacedName key, T old)
    {
        foreach (var index in _indexes.Values)
        {
            index.Remove(key, old);
        }
    }

    private sealed class Index(Func<T, IEnumerable<string>> indexer)
    {
        public Dictionary<string, HashSet<NamespacedName>> Entries { get; } = new(StringComparer.Ordinal);

        public void Add(NamespacedName key, T obj)
        {
            foreach (var value in indexer(obj))
            {
                if (!Entries.TryGetValue(value, out var keys))
                {
                    keys = [];
                    Entries.Add(value, keys);
                }

                keys.Add(key);
            }
        }

        public void Remove(NamespacedName key, T obj)
        {
            foreach (var value in indexer(obj))
            {
                if (Entries.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    Entries.Remove(value);
                }
            }
        }
    }
}
