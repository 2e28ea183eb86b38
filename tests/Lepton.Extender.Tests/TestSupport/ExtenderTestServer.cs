using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Loading;
using Lepton.Kubernetes;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.Serving;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Lepton.Extender.Tests.TestSupport;

/// <summary>The extender on real Kestrel, bound to 127.0.0.1 port 0 (house style 23).</summary>
internal sealed class ExtenderTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExtenderTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public TestTimeProvider Time { get; private init; } = null!;

    public CollectorRegistry Registry { get; private init; } = null!;

    public IServiceProvider Services => _app.Services;

    public ClusterState State => _app.Services.GetRequiredService<ClusterState>();

    public IClusterStateReadiness Readiness => _app.Services.GetRequiredService<IClusterStateReadiness>();

    /// <summary>Makes pods known as the cluster-state file would (what bind binds).</summary>
    public ExtenderTestServer WithPods(params PodBuilder[] pods)
    {
        var mapper = Services.GetRequiredService<KubeObjectMapper>();
        Services.GetRequiredService<StateFilePodLookup>().AddRange(pods.Select(p => mapper.ToDemand(p.ToElement())));
        return this;
    }

    public static Task<ExtenderTestServer> StartAsync(Action<ExtenderOptions>? configure = null, params NodeInventory[] nodes) =>
        StartAsync(configure, gate: null, nodes);

    /// <summary>Starts the server with a serving gate of the test's (a standby replica's, say).</summary>
    public static Task<ExtenderTestServer> StartAsync(Action<ExtenderOptions>? configure, IServingGate? gate, params NodeInventory[] nodes) =>
        StartAsync(configure, gate, services: null, logging: null, nodes);

    /// <summary>
    /// Starts the server over two GPU nodes and a CPU node with <c>lepton serve</c>'s log levels
    /// (Information, <c>Microsoft.AspNetCore</c> from Warning) going to <paramref name="logs"/>.
    /// </summary>
    public static Task<ExtenderTestServer> StartWithServeLoggingAsync(CapturingLoggerProvider logs) =>
        StartAsync(
            null,
            null,
            null,
            l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning),
            Make.GpuNode("n1"),
            Make.GpuNode("n2", cards: 2),
            Make.CpuNode("c1"));

    /// <summary>Starts the server with services of the test's (a binder, say) and a logging setup of the test's.</summary>
    public static async Task<ExtenderTestServer> StartAsync(Action<ExtenderOptions>? configure, IServingGate? gate, Action<IServiceCollection>? services, Action<ILoggingBuilder>? logging, params NodeInventory[] nodes)
    {
        var time = new TestTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        services?.Invoke(builder.Services);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(registry);
        if (gate is not null)
        {
            builder.Services.AddSingleton(gate);
        }

        builder.Services.AddLeptonExtender(configure);
        var app = builder.Build();
        app.UseLeptonExtenderExceptionHandler();
        app.MapLeptonExtender();
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        var server = new ExtenderTestServer(app, address) { Time = time, Registry = registry };
        if (nodes.Length > 0)
        {
            foreach (var n in nodes)
            {
                server.State.UpsertNode(n);
            }

            server.Readiness.MarkReady();
        }

        return server;
    }

    public async Task<(int Status, string Body)> PostAsync(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Client.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> PostJsonAsync(string path, string body)
    {
        var (status, text) = await PostAsync(path, body);
        Assert.True(status == 200, $"{path}: status {status}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
