using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Controllers;
using Lepton.Testing.KubeApiServer.Diagnostics;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Faults;
using Lepton.Testing.KubeApiServer.Http;
using Lepton.Testing.KubeApiServer.Patching;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Tables;
using Lepton.Testing.KubeApiServer.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lepton.Testing.KubeApiServer;

/// <summary>
/// An in-process Kubernetes API server test double on loopback HTTP: discovery, CRUD, watch, status,
/// binding and eviction subresources, CRDs, server-side tables, plus direct store access, fault injection
/// and a request log for tests. See README.md for what it does and does not implement.
/// </summary>
/// <example>
/// <code>
/// await using var server = await KubeApiTestServer.StartAsync(new() { TimeProvider = fakeTime });
/// var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
/// </code>
/// </example>
public sealed class KubeApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly DisruptionBudgetController _disruptionBudgets;
    private Uri? _baseAddress;

    private KubeApiTestServer(WebApplication app, ObjectStore store, DisruptionBudgetController disruptionBudgets, KubeApiTestServerOptions options)
    {
        _app = app;
        _store = store;
        _disruptionBudgets = disruptionBudgets;
        Options = options;
    }

    /// <summary>The server's root URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not started.");

    public KubeApiTestServerOptions Options { get; }

    /// <summary>Failures and latency to inject into resource requests.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Every request answered, and the RBAC permissions they used.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>The current global resourceVersion (bumped by every write).</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>The oldest resourceVersion a watch can resume from without 410 Expired.</summary>
    public long OldestResumableResourceVersion => _store.HistoryFloor;

    public int ActiveWatchCount => _store.ActiveWatchCount;

    /// <summary>Every resource currently served (built-ins and registered CRDs).</summary>
    public IReadOnlyList<ResourceDefinition> Resources => _store.Registry.All;

    public static async Task<KubeApiTestServer> StartAsync(KubeApiTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiTestServerOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(KubeApiTestServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (options.ConfigureLogging is { } configureLogging)
        {
            builder.Services.AddLogging(configureLogging);
        }

        var app = builder.Build();
        var registry = new ResourceRegistry(BuiltInResources.All);
        var store = new ObjectStore(registry, options);
        var disruptionBudgets = new DisruptionBudgetController(store, options.EnableDisruptionBudgetController);
        store.AddController(new CustomResourceDefinitionController(store));
        store.AddController(new GarbageCollector(store));
        store.AddController(new NamespaceController(store));
        store.AddController(new EventMirror(store));
        store.AddController(disruptionBudgets);

        var server = new KubeApiTestServer(app, store, disruptionBudgets, options);
        var tables = new TableConverter(options.TimeProvider);
        var pipeline = new ApiRequestPipeline(
            new ResourceHandler(store, tables, new WatchStreamer(store, tables, options)),
            new DiscoveryDocuments(registry, options.ServerVersion),
            server.Faults,
            server.Requests,
            options.TimeProvider,
            () => server.BaseAddress.Authority,
            app.Services.GetRequiredService<ILogger<ApiRequestPipeline>>());
        app.Run(pipeline.HandleAsync);

        try
        {
            var namespaces = registry.FindPreferred(WellKnown.Namespaces)!;
            foreach (var ns in options.Namespaces)
            {
                store.Create(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            }

            // kube-apiserver creates the two system PriorityClasses at start-up (scheduling/v1 bootstrap).
            if (registry.FindPreferred(WellKnown.PriorityClasses) is { } priorityClasses)
            {
                foreach (var (name, value) in new[] { ("system-node-critical", 2_000_001_000L), ("system-cluster-critical", 2_000_000_000L) })
                {
                    store.Create(priorityClasses, null, new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = name },
                        ["value"] = value,
                        ["description"] = "Used for system critical pods that must not be moved from their current node.",
                    });
                }
            }

            foreach (var crd in options.CustomResourceDefinitions)
            {
                server.RegisterCustomResourceDefinition(crd);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        server._baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>
    /// A kubeconfig (YAML) with one cluster, user and context pointing at this server. The token is a
    /// placeholder (KubernetesClient insists on some credential); the server authenticates nobody.
    /// </summary>
    public string KubeconfigYaml(string contextName = "kube-api-test-server", string defaultNamespace = "default") =>
        string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {contextName}
              cluster:
                server: {BaseAddress.GetLeftPart(UriPartial.Authority)}
            users:
            - name: {contextName}
              user:
                token: kube-api-test-server
            contexts:
            - name: {contextName}
              context:
                cluster: {contextName}
                user: {contextName}
                namespace: {defaultNamespace}
            current-context: {contextName}
            preferences: {"{}"}

            """);

    /// <summary>Writes <see cref="KubeconfigYaml"/> to <paramref name="path"/> and returns the full path.</summary>
    public string WriteKubeconfig(string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, KubeconfigYaml());
        return fullPath;
    }

    // ---- direct store access ---------------------------------------------------------------------------

    /// <summary>
    /// Inserts or replaces an object as-is, resolved by its apiVersion and kind: no validation, admission or
    /// status reset (so pods can start Running). Missing uid, creationTimestamp and generation are filled.
    /// </summary>
    public JsonObject Seed(JsonObject obj) => _store.Seed(ResolveKind(obj), obj);

    /// <summary>Seeds every object in a JSON or (multi-document) YAML text.</summary>
    public IReadOnlyList<JsonObject> Seed(string jsonOrYaml) =>
        YamlJson.ParseDocuments(jsonOrYaml).OfType<JsonObject>().Select(Seed).ToArray();

    /// <summary>Creates an object with full API semantics (validation, defaults, admission), as a POST would.</summary>
    public JsonObject Create(JsonObject obj) =>
        _store.Create(ResolveKind(obj), Json.ObjectMeta.Namespace(obj) is { Length: > 0 } ns ? ns : null, obj);

    /// <summary>Reads an object; <paramref name="resource"/> is what kubectl accepts: <c>pods</c>, <c>pod</c>, <c>po</c>, <c>leptonjobs.lepton.ai</c>, <c>lj</c>.</summary>
    public JsonObject? Get(string resource, string? ns, string name) => _store.TryGet(Resolve(resource), ns ?? "", name);

    public IReadOnlyList<JsonObject> List(string resource, string? ns = null)
    {
        var definition = Resolve(resource);
        var filter = new WatchFilter(definition.GroupResource, ns, Selectors.LabelSelector.Everything, Selectors.FieldSelector.Everything);
        return _store.List(definition, new ListQuery(filter)).Items;
    }

    /// <summary>
    /// Changes an object directly, as a controller or kubelet would (no validation or preconditions); bumps
    /// resourceVersion and generation as usual. Returns null if the change completed a deletion.
    /// </summary>
    public JsonObject? Modify(string resource, string? ns, string name, Action<JsonObject> mutate) =>
        _store.Modify(Resolve(resource), ns ?? "", name, mutate);

    /// <summary>Deletes with API semantics (finalizers, propagation). Returns true if the object is gone.</summary>
    public bool Delete(string resource, string? ns, string name, string? propagationPolicy = null) =>
        _store.Delete(Resolve(resource), ns ?? "", name, new DeleteRequest(propagationPolicy)).Removed;

    /// <summary>Creates (or replaces) a CustomResourceDefinition; its resources are served when this returns.</summary>
    public JsonObject RegisterCustomResourceDefinition(JsonObject crd)
    {
        var definition = _store.Registry.FindPreferred(WellKnown.CustomResourceDefinitions)!;
        var name = Json.ObjectMeta.Name(crd);
        var existing = _store.TryGet(definition, "", name);
        if (existing is null)
        {
            return _store.Create(definition, null, crd);
        }

        var replacement = (JsonObject)crd.DeepClone();
        Json.ObjectMeta.Of(replacement).Remove("resourceVersion");
        return _store.Update(definition, "", name, replacement, statusOnly: false);
    }

    /// <summary>Recomputes PodDisruptionBudget status now (automatic after pod writes unless disabled in the options).</summary>
    public void RecomputeDisruptionBudgets(string? ns = null) => _store.Atomically(() => _disruptionBudgets.RecomputeCore(ns));

    // ---- watch control and faults ----------------------------------------------------------------------

    /// <summary>Discards the event history: watches from any older resourceVersion get 410 Expired.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Ends every open watch now; returns how many there were.</summary>
    public int DropWatches(WatchDropMode mode = WatchDropMode.Close) => _store.DropWatches(mode);

    /// <summary>Sends a BOOKMARK at the current resourceVersion on every watch that allows bookmarks.</summary>
    public void SendBookmarks() => _store.SendBookmarks();

    /// <summary>Completes once at least <paramref name="count"/> watches are open.</summary>
    public Task WaitForWatchesAsync(int count, CancellationToken cancellationToken = default) =>
        _store.WaitForWatchCountAsync(n => n >= count, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _store.DropWatches(WatchDropMode.Close);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private ResourceDefinition Resolve(string resource) =>
        _store.Registry.Resolve(resource) ?? throw new ArgumentException($"the server doesn't have a resource type \"{resource}\"", nameof(resource));

    private ResourceDefinition ResolveKind(JsonObject obj)
    {
        var apiVersion = Json.JsonNodes.GetString(obj, "apiVersion") ?? throw new ArgumentException("the object has no apiVersion", nameof(obj));
        var kind = Json.JsonNodes.GetString(obj, "kind") ?? throw new ArgumentException("the object has no kind", nameof(obj));
        return _store.Registry.FindByKind(apiVersion, kind)
            ?? throw new ArgumentException($"no resource is served for {apiVersion}, Kind={kind}", nameof(obj));
    }
}
