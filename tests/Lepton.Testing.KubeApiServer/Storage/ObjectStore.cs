using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage.Strategies;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>
/// The schemaless object store: every object, one global resourceVersion counter (like etcd), a bounded
/// event history and the open watches. One lock guards everything; controllers run after each operation
/// under the same lock, so every observable state is consistent.
/// </summary>
/// <remarks>
/// Stored <see cref="JsonObject"/> instances are never mutated after commit: writes clone, change and
/// replace. Everything handed out of the lock is a clone. Methods named <c>*Core</c> require the lock.
/// </remarks>
internal sealed partial class ObjectStore
{
    public const long InitialResourceVersion = 1;

    private static readonly GroupResource Namespaces = new("", "namespaces");
    private static readonly GroupResource CustomResourceDefinitions = new("apiextensions.k8s.io", "customresourcedefinitions");

    private readonly Lock _gate = new();
    private readonly Dictionary<GroupResource, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly Dictionary<string, (GroupResource Resource, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly List<IStoreController> _controllers = [];
    private readonly Queue<StoreEvent> _pending = new();
    private readonly KubeApiTestServerOptions _options;
    private readonly TimeProvider _time;
    private readonly EventHistory _history;
    private readonly ListSnapshots _snapshots;
    private readonly StrategyTable _strategies;
    private long _resourceVersion = InitialResourceVersion;
    private bool _dispatching;

    public ObjectStore(ResourceRegistry registry, KubeApiTestServerOptions options)
    {
        Registry = registry;
        _options = options;
        _time = options.TimeProvider;
        _history = new EventHistory(options.EventHistoryCapacity, InitialResourceVersion);
        _snapshots = new ListSnapshots(options.MaxListSnapshots);
        _strategies = new StrategyTable(options);
    }

    public ResourceRegistry Registry { get; }

    public TimeProvider Time => _time;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public void AddController(IStoreController controller)
    {
        lock (_gate)
        {
            _controllers.Add(controller);
        }
    }

    /// <summary>Runs <paramref name="operation"/> atomically, then lets the controllers react to what it committed.</summary>
    public T Atomically<T>(Func<T> operation)
    {
        lock (_gate)
        {
            try
            {
                return operation();
            }
            finally
            {
                DispatchPending();
            }
        }
    }

    public void Atomically(Action operation) => Atomically(() =>
    {
        operation();
        return true;
    });

    // ---- reads -------------------------------------------------------------------------------------

    public JsonObject Get(ResourceDefinition definition, string ns, string name) => Atomically(() =>
        Present(definition, FindCore(definition.GroupResource, ns, name) ?? throw ApiErrors.NotFound(definition.GroupResource, name)));

    public JsonObject? TryGet(ResourceDefinition definition, string ns, string name) => Atomically(() =>
        FindCore(definition.GroupResource, ns, name) is { } found ? Present(definition, found) : null);

    public ListResult List(ResourceDefinition definition, ListQuery query) => Atomically(() =>
    {
        ListResult page;
        if (!string.IsNullOrEmpty(query.Continue))
        {
            page = _snapshots.NextPage(query.Continue, query.Limit, _history.Floor);
        }
        else
        {
            var items = ItemsCore(query.Filter.Resource, query.Filter.Namespace).Where(query.Filter.Matches).ToList();
            page = _snapshots.FirstPage(items, _resourceVersion, query.Limit);
        }

        var selective = !query.Filter.Labels.IsEverything || !query.Filter.Fields.IsEverything;
        return page with
        {
            Items = page.Items.Select(i => Present(definition, i)).ToArray(),
            RemainingItemCount = selective ? null : page.RemainingItemCount,
        };
    });

    // ---- core reads (lock held) ----------------------------------------------------------------------

    internal JsonObject? FindCore(GroupResource resource, string ns, string name) =>
        _objects.TryGetValue(resource, out var table) && table.TryGetValue(Key(ns, name), out var obj) ? obj : null;

    internal JsonObject? FindByUidCore(string uid, out GroupResource resource)
    {
        if (_byUid.TryGetValue(uid, out var location) && _objects.TryGetValue(location.Resource, out var table)
            && table.TryGetValue(location.Key, out var obj))
        {
            resource = location.Resource;
            return obj;
        }

        resource = default;
        return null;
    }

    /// <summary>Objects of a resource in key order (namespace, then name), optionally in one namespace.</summary>
    internal IEnumerable<JsonObject> ItemsCore(GroupResource resource, string? ns = null)
    {
        if (!_objects.TryGetValue(resource, out var table))
        {
            return [];
        }

        return string.IsNullOrEmpty(ns)
            ? table.Values.ToArray()
            : table.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
    }

    /// <summary>Every stored object with its resource (for the garbage collector and namespace cleanup).</summary>
    internal IEnumerable<(GroupResource Resource, JsonObject Object)> AllItemsCore() =>
        _objects.SelectMany(t => t.Value.Values.Select(o => (t.Key, o))).ToArray();

    internal ResourceStrategy StrategyFor(GroupResource resource) => _strategies.For(resource);

    internal DateTimeOffset Now => _time.GetUtcNow();

    // ---- commit primitives (lock held) ---------------------------------------------------------------

    /// <summary>Stores a new or changed object at the next resourceVersion and publishes the event.</summary>
    internal JsonObject CommitPutCore(GroupResource resource, JsonObject obj, JsonObject? previous)
    {
        var rv = ++_resourceVersion;
        var meta = ObjectMeta.Of(obj);
        meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var ns = ObjectMeta.Namespace(obj);
        var key = Key(ns, ObjectMeta.Name(obj));
        if (!_objects.TryGetValue(resource, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[resource] = table;
        }

        table[key] = obj;
        if (ObjectMeta.Uid(obj) is { Length: > 0 } uid)
        {
            _byUid[uid] = (resource, key);
        }

        Publish(new StoreEvent(previous is null ? WatchEventType.Added : WatchEventType.Modified, resource, ns, rv, obj, previous));
        return obj;
    }

    /// <summary>Removes an object for good; the DELETED event carries its last state at a new resourceVersion.</summary>
    internal JsonObject CommitRemoveCore(GroupResource resource, JsonObject last, JsonObject previous)
    {
        var rv = ++_resourceVersion;
        var final = JsonNodes.Clone(last);
        ObjectMeta.Of(final)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var ns = ObjectMeta.Namespace(final);
        if (_objects.TryGetValue(resource, out var table))
        {
            table.Remove(Key(ns, ObjectMeta.Name(final)));
        }

        if (ObjectMeta.Uid(final) is { Length: > 0 } uid)
        {
            _byUid.Remove(uid);
        }

        Publish(new StoreEvent(WatchEventType.Deleted, resource, ns, rv, final, previous));
        return final;
    }

    /// <summary>Commits <paramref name="updated"/>; a deleting object whose finalizers are all gone is removed instead.</summary>
    internal JsonObject CommitChangeCore(GroupResource resource, JsonObject existing, JsonObject updated)
    {
        if (ObjectMeta.IsDeleting(updated) && ObjectMeta.Finalizers(updated).Count == 0 && !StrategyFor(resource).BlocksRemoval(updated))
        {
            return CommitRemoveCore(resource, updated, existing);
        }

        return CommitPutCore(resource, updated, existing);
    }

    /// <summary>
    /// A controller's or a test's direct write: no validation or preconditions, generation and
    /// finalizer semantics kept, and no write at all when nothing changed.
    /// </summary>
    internal JsonObject MutateCore(GroupResource resource, JsonObject existing, Action<JsonObject> mutate)
    {
        var updated = JsonNodes.Clone(existing);
        mutate(updated);
        ApplyGeneration(resource, existing, updated);
        ObjectMeta.Of(updated)["resourceVersion"] = ObjectMeta.ResourceVersion(existing);
        return JsonNode.DeepEquals(existing, updated) ? existing : CommitChangeCore(resource, existing, updated);
    }

    private void ApplyGeneration(GroupResource resource, JsonObject existing, JsonObject updated)
    {
        var hasStatus = Registry.FindPreferred(resource)?.HasStatusSubresource ?? false;
        string[] ignored = hasStatus ? ["metadata", "status"] : ["metadata"];
        var generation = ObjectMeta.Generation(existing);
        if (!JsonNode.DeepEquals(JsonNodes.Without(existing, ignored), JsonNodes.Without(updated, ignored)))
        {
            generation++;
        }

        ObjectMeta.Of(updated)["generation"] = Math.Max(generation, 1);
    }

    private void Publish(StoreEvent change)
    {
        _history.Add(change);
        foreach (var watcher in _watchers.ToArray())
        {
            watcher.Offer(change);
        }

        _pending.Enqueue(change);
    }

    private void DispatchPending()
    {
        if (_dispatching)
        {
            return;
        }

        _dispatching = true;
        try
        {
            while (_pending.TryDequeue(out var change))
            {
                foreach (var controller in _controllers)
                {
                    controller.OnCommitted(change);
                }
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    /// <summary>A clone for callers, with apiVersion rewritten to the requested version (conversion strategy None).</summary>
    private static JsonObject Present(ResourceDefinition definition, JsonObject stored)
    {
        var copy = JsonNodes.Clone(stored);
        copy["apiVersion"] = definition.ApiVersion;
        return copy;
    }

    private static string Key(string ns, string name) => ns + "/" + name;

    private string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _options.Random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D");
    }

    private string GenerateName(GroupResource resource, string ns, string prefix)
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var trimmed = prefix.Length > 58 ? prefix[..58] : prefix;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var suffix = new char[5];
            for (var i = 0; i < suffix.Length; i++)
            {
                suffix[i] = Alphabet[_options.Random.Next(Alphabet.Length)];
            }

            var name = trimmed + new string(suffix);
            if (FindCore(resource, ns, name) is null)
            {
                return name;
            }
        }

        throw ApiErrors.AlreadyExists(resource, trimmed + "*");
    }
}
