using System.Text.Json;
using Lepton.Extender;
using Lepton.Extender.Http;
using Lepton.Kubernetes.Wire;
using Lepton.Models;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// Lepton's extender (the registration <c>lepton serve</c> uses) or the null extender, loaded
/// with a synthetic cluster; in process, or on Kestrel at 127.0.0.1 (port 0).
/// </summary>
public sealed class ExtenderBenchHost : IAsyncDisposable
{
    private readonly ServiceProvider? _services;
    private readonly WebApplication? _app;

    private ExtenderBenchHost(ServiceProvider? services, WebApplication? app, ExtenderRequestHandler? handler, Uri? address)
    {
        _services = services;
        _app = app;
        Handler = handler;
        Address = address;
    }

    /// <summary>Lepton's handler (null for the null extender).</summary>
    public ExtenderRequestHandler? Handler { get; }

    /// <summary>The HTTP address (null in process).</summary>
    public Uri? Address { get; }

    /// <summary>The host's services (Lepton's cluster state, pod lookup and mapper; the null extender's are unused).</summary>
    public IServiceProvider Services => (IServiceProvider?)_app?.Services ?? _services!;

    /// <summary>Lepton in process.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The host.</returns>
    public static ExtenderBenchHost InProcess(SyntheticCluster cluster, string policy)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        AddLearnedIfAsked(services, policy);
        services.AddLeptonExtender(o => o.Policy = policy);
        var provider = services.BuildServiceProvider();
        Load(provider, cluster);
        return new ExtenderBenchHost(provider, null, provider.GetRequiredService<ExtenderRequestHandler>(), null);
    }

    /// <summary>Lepton or the null extender on Kestrel.</summary>
    /// <param name="cluster">The cluster (ignored by the null extender).</param>
    /// <param name="policy">The policy.</param>
    /// <param name="nullExtender">Serve the null extender instead.</param>
    /// <returns>The started host.</returns>
    public static async Task<ExtenderBenchHost> StartHttpAsync(SyntheticCluster cluster, string policy, bool nullExtender)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ExtenderOptions.DefaultMaxRequestBytes);
        builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        AddLearnedIfAsked(builder.Services, policy);
        builder.Services.AddLeptonExtender(o => o.Policy = policy);
        var app = builder.Build();
        app.UseLeptonExtenderExceptionHandler();
        if (nullExtender)
        {
            app.MapPost("/filter", context => NullHttpAsync(context, ExtenderVerb.Filter));
            app.MapPost("/prioritize", context => NullHttpAsync(context, ExtenderVerb.Prioritize));
            app.MapPost("/bind", NullBindAsync);
        }
        else
        {
            app.MapLeptonExtender();
            Load(app.Services, cluster);
        }

        await app.StartAsync().ConfigureAwait(false);
        return new ExtenderBenchHost(null, app, null, new Uri(app.Urls.First()));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For <c>--policy Learned</c>: the learned scorer as <c>lepton serve</c> registers it, with
    /// <c>models/policy.onnx</c> (run from the repository root; <c>make models</c> builds it).
    /// </summary>
    private static void AddLearnedIfAsked(IServiceCollection services, string policy)
    {
        if (!string.Equals(policy, LearnedScorer.PolicyName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var path = Path.GetFullPath("models/policy.onnx");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("--policy Learned needs models/policy.onnx: run the benchmark from the repository root (make models builds the model).", path);
        }

        // Contributes Learned to the extender's scorer registry, as lepton serve does.
        services.AddLeptonModels(o => o.PolicyPath = path);
    }

    private static void Load(IServiceProvider services, SyntheticCluster cluster)
    {
        services.GetRequiredService<ClusterState>().Load(cluster.Nodes, cluster.BoundPods);
        services.GetRequiredService<IClusterStateReadiness>().MarkReady();
    }

    // The null extender's bind: parses the request and answers success, binding nothing.
    private static async Task NullBindAsync(HttpContext context)
    {
        var args = await JsonSerializer.DeserializeAsync(context.Request.Body, ExtenderJsonContext.Default.ExtenderBindingArgs, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(args?.PodUID is null ? "{\"Error\":\"PodUID is required\"}"u8.ToArray() : "{\"Error\":\"\"}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task NullHttpAsync(HttpContext context, ExtenderVerb verb)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                var reply = NullExtender.Process(verb, read.Buffer);
                reader.AdvanceTo(read.Buffer.End);
                using var buffer = new PooledBufferWriter(16 * 1024);
                reply.WriteTo(buffer);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = buffer.WrittenCount;
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
