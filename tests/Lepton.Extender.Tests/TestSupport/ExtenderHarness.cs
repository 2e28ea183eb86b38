using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Http;
using Lepton.Extender.Loading;
using Lepton.Extender.Pods;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Lepton.Extender.Tests.TestSupport;

/// <summary>The extender's services without HTTP: the same registration as <c>lepton serve</c>.</summary>
internal sealed class ExtenderHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public ExtenderHarness(Action<ExtenderOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Registry);
        services.AddLeptonExtender(configure);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public IServiceProvider Services => _services;

    public ClusterState State => _services.GetRequiredService<ClusterState>();

    public LeptonExtender Extender => _services.GetRequiredService<LeptonExtender>();

    public ExtenderRequestHandler Handler => _services.GetRequiredService<ExtenderRequestHandler>();

    public PendingPodCache Pending => _services.GetRequiredService<PendingPodCache>();

    public StateFilePodLookup Pods => _services.GetRequiredService<StateFilePodLookup>();

    /// <summary>Makes pods known as the cluster-state file (or the informer cache) would: what bind binds.</summary>
    public ExtenderHarness WithPods(params PodBuilder[] pods)
    {
        var mapper = _services.GetRequiredService<KubeObjectMapper>();
        Pods.AddRange(pods.Select(p => mapper.ToDemand(p.ToElement())));
        return this;
    }

    public IClusterStateReadiness Readiness => _services.GetRequiredService<IClusterStateReadiness>();

    public ExtenderHarness WithNodes(params NodeInventory[] nodes)
    {
        foreach (var n in nodes)
        {
            State.UpsertNode(n);
        }

        Readiness.MarkReady();
        return this;
    }

    public ExtenderHarness WithBound(string node, params PodDemand[] pods)
    {
        foreach (var p in pods)
        {
            State.Confirm(p, node);
        }

        return this;
    }

    /// <summary>Runs a body through the handler without HTTP; returns status and body text.</summary>
    public async Task<(int Status, string Body)> ProcessAsync(ExtenderVerb verb, string body)
    {
        var reply = await Handler.ProcessAsync(verb, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)));
        var output = new ArrayBufferWriter<byte>();
        reply.WriteTo(output);
        return (reply.StatusCode, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    public async Task<JsonElement> ProcessJsonAsync(ExtenderVerb verb, string body)
    {
        var (status, text) = await ProcessAsync(verb, body);
        Assert.True(status == 200, $"status {status}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _services.Dispose();
}
