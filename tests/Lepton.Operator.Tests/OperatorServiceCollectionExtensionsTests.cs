using k8s;
using Lepton.Extender;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Hosting;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests;

/// <summary>The operator's registration: its two LeptonJob controllers registered by name.</summary>
public sealed class OperatorServiceCollectionExtensionsTests
{
    [Fact]
    public void AddLeptonOperator_TwoLeptonJobControllers_RunOnOneLeptonJobInformerEachWithItsOwnOptions()
    {
        using var host = Host(("Lepton:Controllers:leptonjob:Workers", "3"), ("Lepton:Controllers:gang-admission:ResyncPeriod", "00:01:00"));

        var jobs = host.Services.GetRequiredKeyedService<Controller<V1Alpha1LeptonJob>>(OperatorServiceCollectionExtensions.JobControllerName);
        var gangs = host.Services.GetRequiredKeyedService<Controller<V1Alpha1LeptonJob>>(OperatorServiceCollectionExtensions.GangAdmissionControllerName);

        Assert.Equal(("leptonjob", 3, (TimeSpan?)null), (jobs.Name, jobs.Options.Workers, jobs.Options.ResyncPeriod));
        Assert.Equal(("gang-admission", 1, (TimeSpan?)TimeSpan.FromMinutes(1)), (gangs.Name, gangs.Options.Workers, gangs.Options.ResyncPeriod));
        var hosted = host.Services.GetServices<IHostedService>().ToList();
        Assert.Single(hosted.OfType<InformerHostedService<V1Alpha1LeptonJob>>());
        Assert.Equal(2, hosted.OfType<ControllerHostedService<V1Alpha1LeptonJob>>().Count());
        Assert.Single(host.Services.GetServices<IInformer>(), i => i is IResourceInformer<V1Alpha1LeptonJob>);
        Assert.Equal(["leptonjob", "gang-admission"], host.Services.GetServices<ControllerRegistration>().Select(r => r.Name));
    }

    [Fact]
    public async Task StartAsync_GangAdmissionWorkersNotOne_FailsNamingTheKey()
    {
        using var host = Host(("Lepton:Controllers:gang-admission:Workers", "2"));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Timeouts.Token()));

        Assert.Contains("Lepton:Controllers:gang-admission:Workers: must be 1", e.Message, StringComparison.Ordinal);
    }

    private static IHost Host(params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Lepton:LeaderElection:Enabled"] = "false" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IKubernetes>(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));
        builder.Services.AddSingleton(TestMetrics.Create());
        builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        builder.Services.AddLeptonExtender();
        builder.Services.AddLeptonOperator();
        return builder.Build();
    }
}
