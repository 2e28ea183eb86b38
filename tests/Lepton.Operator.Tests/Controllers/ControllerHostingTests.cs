using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Hosting;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Controllers;

/// <summary>The hosted wiring of controllers: DI registration, options validated on start, loops that stop the host.</summary>
public sealed class ControllerHostingTests
{
    [Fact]
    public async Task StartAsync_WholeMachineryAgainstTheApiServer_LeadsListsAndReconcilesEveryObject()
    {
        await using var kube = await TestKube.StartAsync();
        kube.Server.Create(Make.ConfigMapJson("a"));
        kube.Server.Create(Make.ConfigMapJson("b"));
        var reconciler = new ScriptedReconciler<V1ConfigMap>(TimeProvider.System);
        using var host = Host(kube, services =>
        {
            services.AddSingleton<IReconciler<V1ConfigMap>>(reconciler);
            services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("configmaps");
            services.AddLeptonInformer<V1Pod>();
        });

        await host.StartAsync(Timeouts.Token());
        var calls = new[] { await reconciler.NextCallAsync(Timeouts.Token()), await reconciler.NextCallAsync(Timeouts.Token()) };

        Assert.Equal(["default/a", "default/b"], calls.Select(c => c.Key.ToString()).Order());
        Assert.True(host.Services.GetRequiredService<ILeaderElector>().IsLeader);
        Assert.Equal("test-replica", (string?)kube.Server.Get("leases", "default", "lepton-operator")!["spec"]!["holderIdentity"]);
        Assert.Equal(2, host.Services.GetRequiredService<IObjectCache<V1ConfigMap>>().Count);
        Assert.Equal(2, host.Services.GetServices<IInformer>().Count());
        await Task.WhenAll(host.Services.GetServices<IInformer>().Select(i => i.ReadyAsync(Timeouts.Token())));
        await host.StopAsync(Timeouts.Token());
        Assert.Equal(string.Empty, (string?)kube.Server.Get("leases", "default", "lepton-operator")!["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task StartAsync_LeaderElectionDisabled_ReconcilesWithoutALease()
    {
        await using var kube = await TestKube.StartAsync();
        kube.Server.Create(Make.ConfigMapJson("a"));
        var reconciler = new ScriptedReconciler<V1ConfigMap>(TimeProvider.System);
        using var host = Host(kube, services =>
        {
            services.AddSingleton<IReconciler<V1ConfigMap>>(reconciler);
            services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("configmaps");
        }, ("Lepton:LeaderElection:Enabled", "false"));

        await host.StartAsync(Timeouts.Token());
        await reconciler.NextCallAsync(Timeouts.Token());
        await host.StopAsync(Timeouts.Token());

        Assert.IsType<AlwaysLeaderElector>(host.Services.GetRequiredService<ILeaderElector>());
        Assert.Null(kube.Server.Get("leases", "default", "lepton-operator"));
    }

    [Theory]
    [InlineData("Lepton:LeaderElection:RenewDeadline", "00:00:20")]
    [InlineData("Lepton:LeaderElection:RetryPeriod", "00:00:12")]
    [InlineData("Lepton:LeaderElection:LeaseName", "Not A Name")]
    [InlineData("Lepton:Controllers:Workers", "0")]
    [InlineData("Lepton:Controllers:RateLimiter:Qps", "0")]
    [InlineData("Lepton:Informers:PageSize", "0")]
    [InlineData("Lepton:Informers:MaxBackoff", "00:00:00.0001")]
    [InlineData("Lepton:Resilience:MaxRetryAttempts", "-1")]
    public async Task StartAsync_InvalidOptions_FailsBeforeAnythingRuns(string key, string value)
    {
        await using var kube = await TestKube.StartAsync();
        using var host = Host(kube, services => services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("configmaps"), (key, value));

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task LoopService_LoopThrows_StopsTheHost()
    {
        using var host = LoopHost(_ => throw new InvalidDataException("watch died"));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        await host.StartAsync(Timeouts.Token());

        await WaitAsync(lifetime.ApplicationStopping);
    }

    [Fact]
    public async Task LoopService_LoopReturnsWhileHostRuns_StopsTheHost()
    {
        using var host = LoopHost(_ => Task.CompletedTask);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        await host.StartAsync(Timeouts.Token());

        await WaitAsync(lifetime.ApplicationStopping);
    }

    [Fact]
    public async Task LoopService_HostStops_LoopEndsQuietly()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = LoopHost(async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        });

        await host.StartAsync(Timeouts.Token());
        await started.Task.WaitAsync(Timeouts.Token());
        await host.StopAsync(Timeouts.Token());

        Assert.False(host.Services.GetRequiredService<TestLoop>().Faulted);
    }

    private static IHost Host(TestKube kube, Action<IServiceCollection> configure, params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lepton:LeaderElection:LeaseNamespace"] = "default",
            ["Lepton:LeaderElection:Identity"] = "test-replica",
        });
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton<IKubernetes>(kube.Client);
        builder.Services.AddSingleton(TestMetrics.Create());
        builder.Services.AddLeptonControllerMachinery();
        configure(builder.Services);
        return builder.Build();
    }

    private static IHost LoopHost(Func<CancellationToken, Task> loop)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TestMetrics.Create());
        builder.Services.AddLeptonControllerMachinery();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(sp => new TestLoop(loop, sp.GetRequiredService<ILogger<TestLoop>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TestLoop>());
        builder.Services.AddSingleton<ILeaderElector>(new AlwaysLeaderElector("x"));
        return builder.Build();
    }

    private static Task WaitAsync(CancellationToken token)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => signal.TrySetResult());
        return signal.Task.WaitAsync(Timeouts.Token());
    }

    public sealed class TestLoop(Func<CancellationToken, Task> loop, ILogger<TestLoop> logger) : LoopService(logger)
    {
        public bool Faulted => ExecuteTask?.IsFaulted ?? false;

        protected override string LoopName => "test";

        protected override Task RunLoopAsync(CancellationToken stoppingToken) => loop(stoppingToken);
    }
}
