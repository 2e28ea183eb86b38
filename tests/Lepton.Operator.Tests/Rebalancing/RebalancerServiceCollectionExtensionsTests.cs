using k8s;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Rebalancing;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalancerServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<RebalancerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton<IKubernetes>(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));
        services.AddSingleton(new ClusterState());
        services.AddSingleton<ILeaderElector>(new AlwaysLeaderElector("test"));
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<IRebalancerPodSource>(new DictionaryPodSource([]));
        services.AddLeptonRebalancer(configure, _ => RebalanceTestCluster.WholeGpuMix());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddLeptonRebalancer_Defaults_AreEnabledDryRunAndResolve()
    {
        using var sp = Build([]);

        var options = sp.GetRequiredService<IOptions<RebalancerOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.True(options.DryRun);
        Assert.NotNull(sp.GetRequiredService<Rebalancer>());
        Assert.Contains(sp.GetServices<IHostedService>(), s => s is RebalancerService);
    }

    [Fact]
    public void AddLeptonRebalancer_Configuration_BindsTheSection()
    {
        using var sp = Build(new() { ["Lepton:Rebalancer:DryRun"] = "false", ["Lepton:Rebalancer:Interval"] = "00:01:00" }, o => o.MaxEvictionsPerCycle = 7);

        var options = sp.GetRequiredService<IOptions<RebalancerOptions>>().Value;

        Assert.False(options.DryRun);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Interval);
        Assert.Equal(7, options.MaxEvictionsPerCycle);
    }

    [Theory]
    [InlineData("Lepton:Rebalancer:MaxEvictionsPerCycle", "0")]
    [InlineData("Lepton:Rebalancer:Interval", "00:00:00")]
    [InlineData("Lepton:Rebalancer:MaxEvictionsPerNode", "9")]
    [InlineData("Lepton:Rebalancer:EvictionAttemptTimeout", "00:10:00")]
    public void AddLeptonRebalancer_InvalidSetting_FailsValidation(string key, string value)
    {
        using var sp = Build(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<RebalancerOptions>>().Value);
    }
}
