using k8s;
using k8s.Models;
using Lepton.Extender;
using Lepton.Extender.Verbs;
using Lepton.Operator;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Metrics;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Lepton.Testing.KubeApiServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lepton.Benchmarks.Operator;

/// <summary>One operator replica composed as <c>lepton serve --kubeconfig</c> composes it (extender + operator), against the API test server.</summary>
internal sealed class BenchOperator : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchOperator(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public ClusterState State => Services.GetRequiredService<ClusterState>();

    public LeptonExtender Extender => Services.GetRequiredService<LeptonExtender>();

    public IClusterStateReadiness Readiness => Services.GetRequiredService<IClusterStateReadiness>();

    public IResourceInformer<V1Pod> Pods => Services.GetRequiredService<IResourceInformer<V1Pod>>();

    public IResourceInformer<V1Alpha1LeptonJob> Jobs => Services.GetRequiredService<IResourceInformer<V1Alpha1LeptonJob>>();

    public static async Task<BenchOperator> StartAsync(KubeApiTestServer server, int workers)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lepton:LeaderElection:Enabled"] = "false",
            ["Lepton:Controllers:leptonjob:Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lepton:Informers:PageSize"] = "500",
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("LEPTON_BENCH_LOG") is { Length: > 0 } level)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }
        builder.Services.AddSingleton<IKubernetes>(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() }));
        builder.Services.AddSingleton(new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()));
        builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        builder.Services.AddLeptonExtender();
        builder.Services.AddLeptonOperator();
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new BenchOperator(host);
    }

    /// <summary>Completes when the extender reports ready (both informers synced into the cluster state).</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var informer in Services.GetServices<IInformer>())
        {
            await informer.ReadyAsync(cancellationToken).ConfigureAwait(false);
        }

        while (!Readiness.IsReady)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(limit.Token).ConfigureAwait(false);
        _host.Dispose();
    }
}
