using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Hosting;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing;
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
            services.AddSingleton(reconciler);
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
            services.AddSingleton(reconciler);
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
    [InlineData("Lepton:Controllers:configmaps:Workers", "0")]
    [InlineData("Lepton:Controllers:configmaps:RateLimiter:Qps", "0")]
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
    public async Task AddLeptonController_TwoControllersOverOneType_EachRunsWithItsOwnNamedOptionsOnOneSharedInformer()
    {
        await using var kube = await TestKube.StartAsync();
        kube.Server.Create(Make.ConfigMapJson("a"));
        var first = new ScriptedReconciler<V1ConfigMap>(TimeProvider.System);
        var second = new SecondReconciler();
        using var host = Host(
            kube,
            services =>
            {
                services.AddSingleton(first);
                services.AddSingleton(second);
                services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("fast");
                services.AddLeptonController<V1ConfigMap, SecondReconciler>("slow");
            },
            ("Lepton:Controllers:fast:Workers", "4"),
            ("Lepton:Controllers:fast:ResyncPeriod", "00:05:00"),
            ("Lepton:Controllers:slow:Workers", "2"),
            ("Lepton:Controllers:slow:RateLimiter:Qps", "3"));

        await host.StartAsync(Timeouts.Token());
        var calls = new[] { await first.NextCallAsync(Timeouts.Token()), await second.Inner.NextCallAsync(Timeouts.Token()) };
        await host.StopAsync(Timeouts.Token());

        var fast = host.Services.GetRequiredKeyedService<Controller<V1ConfigMap>>("fast");
        var slow = host.Services.GetRequiredKeyedService<Controller<V1ConfigMap>>("slow");
        Assert.Equal(("fast", 4, TimeSpan.FromMinutes(5), 10d), (fast.Name, fast.Options.Workers, fast.Options.ResyncPeriod, fast.Options.RateLimiter.Qps));
        Assert.Equal(("slow", 2, (TimeSpan?)null, 3d), (slow.Name, slow.Options.Workers, slow.Options.ResyncPeriod, slow.Options.RateLimiter.Qps));
        Assert.Same(fast.Options, host.Services.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get("fast"));
        Assert.All(calls, c => Assert.Equal("default/a", c.Key.ToString()));
        Assert.Single(host.Services.GetServices<IInformer>());
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<InformerHostedService<V1ConfigMap>>());
        Assert.Equal(2, host.Services.GetServices<IHostedService>().OfType<ControllerHostedService<V1ConfigMap>>().Count());
        Assert.Single(kube.Sent.Sent, u => u.AbsolutePath.EndsWith("/configmaps", StringComparison.Ordinal) && !u.Query.Contains("watch=true", StringComparison.Ordinal));
        Assert.Equal(["fast", "slow"], host.Services.GetServices<ControllerRegistration>().Select(r => r.Name));
    }

    [Fact]
    public void IOptionsMonitorGet_NameNoControllerRegistered_GetsTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lepton:Controllers:configmaps:Workers"] = "3",
        }).Build());
        services.AddLeptonControllerMachinery();
        services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("configmaps");
        using var provider = services.BuildServiceProvider();

        var sut = provider.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get("unknown");

        var defaults = new ControllerOptions();
        Assert.Equal((1, (TimeSpan?)null), (sut.Workers, sut.ResyncPeriod));
        Assert.Equal(
            (defaults.RateLimiter.BaseDelay, defaults.RateLimiter.MaxDelay, defaults.RateLimiter.Qps, defaults.RateLimiter.Burst),
            (sut.RateLimiter.BaseDelay, sut.RateLimiter.MaxDelay, sut.RateLimiter.Qps, sut.RateLimiter.Burst));
        Assert.Equal(3, provider.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get("configmaps").Workers);
    }

    [Theory]
    [InlineData("Lepton:Controllers:slow:Workers", "0", "Lepton:Controllers:slow:Workers")]
    [InlineData("Lepton:Controllers:slow:Workers", "many", "Lepton:Controllers:slow:Workers")]
    [InlineData("Lepton:Controllers:slow:ResyncPeriod", "00:00:00.500", "Lepton:Controllers:slow:ResyncPeriod")]
    [InlineData("Lepton:Controllers:slow:RateLimiter:Burst", "0", "Lepton:Controllers:slow:RateLimiter:Burst")]
    [InlineData("Lepton:Controllers:slow:RateLimiter:MaxDelay", "00:00:00.001", "Lepton:Controllers:slow:RateLimiter:MaxDelay")]
    [InlineData("Lepton:Controllers:slow:Worker", "2", "Lepton:Controllers:slow:Worker")]
    [InlineData("Lepton:Controllers:slow:RateLimiter:Rate", "2", "Lepton:Controllers:slow:RateLimiter:Rate")]
    [InlineData("Lepton:Controllers:Workers", "4", "Lepton:Controllers:Workers")]
    public async Task StartAsync_BadControllerSetting_FailsNamingTheKey(string key, string value, string named)
    {
        await using var kube = await TestKube.StartAsync();
        using var host = Host(
            kube,
            services =>
            {
                services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("fast");
                services.AddLeptonController<V1ConfigMap, SecondReconciler>("slow");
            },
            ("Lepton:Controllers:slow:RateLimiter:BaseDelay", "00:00:00.005"),
            (key, value));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Timeouts.Token()));

        Assert.True(e is OptionsValidationException or InvalidOperationException, e.ToString());
        Assert.Contains(named + (e is OptionsValidationException ? ":" : "'"), e.Message, StringComparison.Ordinal);
        Assert.Empty(kube.Sent.Sent);
    }

    [Fact]
    public void AddLeptonController_NameUsedTwice_Throws()
    {
        var services = new ServiceCollection();
        services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>("configmaps");

        var e = Assert.Throws<InvalidOperationException>(() => services.AddLeptonController<V1Pod, ScriptedReconciler<V1Pod>>("configmaps"));

        Assert.Contains("'configmaps'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gang_Admission")]
    [InlineData("a:b")]
    [InlineData("-a")]
    [InlineData("workers")]
    [InlineData("RateLimiter")]
    public void AddLeptonController_NameNotALowercaseDnsLabelOrASetting_Throws(string name)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddLeptonController<V1ConfigMap, ScriptedReconciler<V1ConfigMap>>(name));
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

    public sealed class SecondReconciler : IReconciler<V1ConfigMap>
    {
        public ScriptedReconciler<V1ConfigMap> Inner { get; } = new(TimeProvider.System);

        public Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken) => Inner.ReconcileAsync(key, cancellationToken);
    }

    public sealed class TestLoop(Func<CancellationToken, Task> loop, ILogger<TestLoop> logger) : LoopService(logger)
    {
        public bool Faulted => ExecuteTask?.IsFaulted ?? false;

        protected override string LoopName => "test";

        protected override Task RunLoopAsync(CancellationToken stoppingToken) => loop(stoppingToken);
    }
}
