using k8s;
using Lepton.Extender;
using Lepton.Extender.Verbs;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Lepton.Testing.KubeApiServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// One operator replica in process, composed the way <c>lepton serve --kubeconfig</c> composes it:
/// <c>AddLeptonExtender()</c> + <c>AddLeptonOperator()</c> on a generic host, against the API test server.
/// </summary>
public sealed class OperatorInstance : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private OperatorInstance(IHost host, k8s.Kubernetes client)
    {
        _host = host;
        Client = client;
    }

    public IServiceProvider Services => _host.Services;

    public k8s.Kubernetes Client { get; }

    public LeptonExtender Extender => Services.GetRequiredService<LeptonExtender>();

    public ClusterState State => Services.GetRequiredService<ClusterState>();

    public ILeaderElector Elector => Services.GetRequiredService<ILeaderElector>();

    public IClusterStateReadiness Readiness => Services.GetRequiredService<IClusterStateReadiness>();

    /// <summary>Builds and starts a replica.</summary>
    /// <param name="server">The API test server.</param>
    /// <param name="time">The replica's clock.</param>
    /// <param name="settings">Configuration (<c>Lepton:...</c> keys) on top of the fast test defaults.</param>
    /// <param name="configure">Last-minute service changes.</param>
    /// <param name="userAgent">The User-Agent of the replica's API client (default: the client library's).</param>
    public static async Task<OperatorInstance> StartAsync(
        KubeApiTestServer server,
        TimeProvider time,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string? userAgent = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var config = new Dictionary<string, string?>
        {
            ["Lepton:LeaderElection:Enabled"] = "false",
            ["Lepton:Informers:InitialBackoff"] = "00:00:00.005",
            ["Lepton:Informers:MaxBackoff"] = "00:00:00.200",
            ["Lepton:Informers:BackoffJitter"] = "0",
            ["Lepton:Informers:PageSize"] = "1000",
            ["Lepton:Resilience:BaseDelay"] = "00:00:00.005",
            ["Lepton:Resilience:MaxDelay"] = "00:00:00.100",
            ["Lepton:Resilience:MaxRetryAttempts"] = "8",
            ["Lepton:Controllers:leptonjob:Workers"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("LEPTON_TEST_LOG") is { Length: > 0 } level)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }

        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        if (userAgent is not null)
        {
            // Tells this replica's requests apart from the test's own in the server's request log (RBAC checks).
            client.HttpClient.DefaultRequestHeaders.UserAgent.Clear();
            client.HttpClient.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<IKubernetes>(client);
        builder.Services.AddSingleton(new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()));
        builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        builder.Services.AddLeptonExtender();
        builder.Services.AddLeptonOperator();
        builder.Services.Configure<LeaderElectionOptions>(o => o.Randomizer = () => 0);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new OperatorInstance(host, client);
    }

    /// <summary>Stops the replica (leader election releases its lease unless configured not to).</summary>
    /// <summary>Whether <see cref="StopAsync"/> was called (a crashed or stopped replica).</summary>
    public bool Stopped => _stopped;

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        Client.Dispose();
    }
}
