using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Entities;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// A whole cluster for end-to-end tests: the API test server with the LeptonJob CRD and GPU nodes, test-side
/// watches of jobs and pods, a kube-scheduler (<see cref="FakeKubeScheduler"/>) and kubelets
/// (<see cref="FakeKubelet"/>), and one or more operator replicas.
/// </summary>
public sealed class OperatorHarness : IAsyncDisposable
{
    public const string GpuModel = "NVIDIA-A100-SXM4-80GB";

    private readonly List<OperatorInstance> _instances = [];
    private readonly List<NodeInventory> _nodes = [];

    private OperatorHarness(KubeApiTestServer server, k8s.Kubernetes client)
    {
        Server = server;
        Client = client;
        Jobs = new ObjectWatch<V1Alpha1LeptonJob>(client);
        Pods = new ObjectWatch<V1Pod>(client);
    }

    public KubeApiTestServer Server { get; }

    public k8s.Kubernetes Client { get; }

    public ObjectWatch<V1Alpha1LeptonJob> Jobs { get; }

    public ObjectWatch<V1Pod> Pods { get; }

    public FakeKubeScheduler? Scheduler { get; private set; }

    public FakeKubelet? Kubelet { get; private set; }

    public IReadOnlyList<OperatorInstance> Instances => _instances;

    public KubeObjectMapper Mapper { get; } = new();

    /// <summary>The replica whose extender kube-scheduler calls (the Service picks one; any replica serves).</summary>
    public OperatorInstance? ExtenderReplica { get; set; }

    public static async Task<OperatorHarness> StartAsync(Action<KubeApiTestServerOptions>? configure = null)
    {
        var options = new KubeApiTestServerOptions { Random = new Random(42), EventHistoryCapacity = 100_000 };
        options.Namespaces.Add("lepton-system");
        options.CustomResourceDefinitions.Add(YamlObjects.LeptonJobCrd());
        configure?.Invoke(options);
        var server = await KubeApiTestServer.StartAsync(options, Hang.Token());
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        return new OperatorHarness(server, client);
    }

    /// <summary>Adds GPU nodes (NVIDIA A100 by default) to the API server.</summary>
    public OperatorHarness AddNodes(int count, int gpus = 8, string prefix = "gpu", string model = GpuModel, string cpu = "64", string memory = "512Gi")
    {
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{_nodes.Count}");
            var node = NodeJson(name, gpus, model, cpu, memory);
            Server.Create(node);
            _nodes.Add(Mapper.ToInventory(KubernetesJson.Deserialize<V1Node>(node.ToJsonString())));
        }

        return this;
    }

    public static JsonObject NodeJson(string name, int gpus, string model = GpuModel, string cpu = "64", string memory = "512Gi")
    {
        var allocatable = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "110" };
        var labels = new JsonObject { ["kubernetes.io/hostname"] = name };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = gpus.ToString(CultureInfo.InvariantCulture);
            labels["nvidia.com/gpu.product"] = model;
            labels["nvidia.com/gpu.count"] = gpus.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["status"] = new JsonObject { ["allocatable"] = allocatable, ["capacity"] = allocatable.DeepClone() },
        };
    }

    /// <summary>Starts an operator replica and waits until its cluster state is synced.</summary>
    public async Task<OperatorInstance> StartOperatorAsync(TimeProvider? time = null, IDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null, bool waitReady = true, string? userAgent = null)
    {
        var instance = await OperatorInstance.StartAsync(Server, time ?? TimeProvider.System, settings, configure, userAgent);
        _instances.Add(instance);
        ExtenderReplica ??= instance;
        instance.State.Changed += () => Scheduler?.RetryUnschedulable();
        if (waitReady)
        {
            using var limit = new CancellationTokenSource(Hang.Timeout);
            foreach (var informer in Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<Lepton.Operator.Controllers.Informers.IInformer>(instance.Services))
            {
                await informer.ReadyAsync(limit.Token);
            }

            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Lepton.Operator.Sync.ClusterStateSync>(instance.Services).Synced.WaitAsync(limit.Token);
            Assert.True(instance.Readiness.IsReady);
        }

        return instance;
    }

    /// <summary>Starts kube-scheduler and the kubelets (after the test-side pod watch has synced).</summary>
    public async Task StartClusterAsync(bool autoSucceed = false, Func<FakeKubeScheduler, IExtenderBackend>? extender = null)
    {
        await Jobs.ReadyAsync();
        await Pods.ReadyAsync();
        Kubelet = new FakeKubelet(Server, Pods) { AutoSucceed = autoSucceed };
        Scheduler = extender is null
            ? new FakeKubeScheduler(Pods, _nodes, () => (ExtenderReplica ?? _instances[0]).Extender, Mapper)
            : new FakeKubeScheduler(Pods, _nodes, extender, Mapper);
    }

    /// <summary>The replicas started and not stopped yet.</summary>
    public IReadOnlyList<OperatorInstance> Running => [.. _instances.Where(i => !i.Stopped)];

    public JsonObject CreateJob(JsonObject job) => Server.Create(job);

    public V1Alpha1LeptonJob? Job(string name, string ns = "default") => Jobs.Cache.Get(new(ns, name));

    public IReadOnlyList<V1Pod> PodsOf(string job, string ns = "default") =>
        [.. Pods.Cache.List(ns).Where(p => p.Metadata.Labels?.TryGetValue("lepton.ai/job", out var j) == true && j == job).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    public Task UntilJobAsync(string name, Func<V1Alpha1LeptonJob, bool> condition, string what, TimeSpan? timeout = null, string ns = "default") =>
        Jobs.UntilAsync(c => c.Get(new(ns, name)) is { } j && condition(j), $"job {name} {what}", timeout);

    /// <summary>The events.k8s.io Events regarding an object (by UID), once <paramref name="until"/> holds for them.</summary>
    public async Task<IReadOnlyList<Eventsv1Event>> EventsAsync(string uid, Func<IReadOnlyList<Eventsv1Event>, bool> until, string what, string ns = "default")
    {
        await using var events = new ObjectWatch<Eventsv1Event>(Client, ns);
        await events.UntilAsync(c => until([.. c.List().Where(e => e.Regarding?.Uid == uid)]), what);
        return [.. events.Cache.List().Where(e => e.Regarding?.Uid == uid)];
    }

    public Task UntilPhaseAsync(string name, string phase, TimeSpan? timeout = null) =>
        UntilJobAsync(name, j => j.Status?.Phase == phase, "is " + phase, timeout);

    /// <summary>A LeptonJob manifest.</summary>
    public static JsonObject JobJson(string name, string type = LeptonJobTypes.Training, int replicas = 1, int gpus = 1, int? gpuMilli = null, string? restartPolicy = null, string? maxRuntime = null, string ns = "default", string[]? models = null)
    {
        var accelerators = new JsonObject { ["gpus"] = gpus };
        if (gpuMilli is { } milli)
        {
            accelerators["gpuMilli"] = milli;
        }

        if (models is not null)
        {
            accelerators["gpuModels"] = new JsonArray([.. models.Select(m => (JsonNode)JsonValue.Create(m))]);
        }

        var spec = new JsonObject
        {
            ["type"] = type,
            ["replicas"] = replicas,
            ["accelerators"] = accelerators,
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "main",
                        ["image"] = "busybox",
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" } },
                    }),
                },
            },
        };
        if (restartPolicy is not null)
        {
            spec["restartPolicy"] = restartPolicy;
        }

        if (maxRuntime is not null)
        {
            spec["maxRuntime"] = maxRuntime;
        }

        return new JsonObject
        {
            ["apiVersion"] = V1Alpha1LeptonJob.KubeGroupVersion,
            ["kind"] = V1Alpha1LeptonJob.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Scheduler is not null)
        {
            await Scheduler.DisposeAsync();
        }

        if (Kubelet is not null)
        {
            await Kubelet.DisposeAsync();
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Jobs.DisposeAsync();
        await Pods.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
