using Lepton.Cli.Serve;
using Lepton.Extender;
using Lepton.Models;
using Lepton.Models.Inference;
using Lepton.Scheduling.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lepton.Cli.Tests.Serve;

/// <summary>Issue 10 item 5: one source for each setting; a flag overrides configuration only when given.</summary>
public sealed class ServeSettingsPrecedenceTests
{
    private static ServiceProvider Build(ServeSettings settings, Dictionary<string, string?> configuration)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        ServeHost.AddServices(services, settings, client: null);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddServices_ModelPathInConfigurationAndNoFlag_KeepsTheConfiguredPath()
    {
        using var sp = Build(new ServeSettings { ClusterStateFile = "s.json" }, new() { ["Lepton:Models:PolicyPath"] = "/etc/lepton/policy.onnx", ["Lepton:Models:ExecutionProvider"] = "Cpu" });

        var options = sp.GetRequiredService<IOptions<LeptonModelOptions>>().Value;

        Assert.Equal("/etc/lepton/policy.onnx", options.PolicyPath);
        Assert.Equal(ExecutionProviderOption.Cpu, options.ExecutionProvider);
    }

    [Fact]
    public void AddServices_ModelFlagGiven_OverridesConfiguration()
    {
        using var sp = Build(
            new ServeSettings { ClusterStateFile = "s.json", ModelPath = "/flag/policy.onnx", ExecutionProvider = ExecutionProviderOption.Cuda },
            new() { ["Lepton:Models:PolicyPath"] = "/etc/lepton/policy.onnx", ["Lepton:Models:ExecutionProvider"] = "Cpu" });

        var options = sp.GetRequiredService<IOptions<LeptonModelOptions>>().Value;

        Assert.Equal("/flag/policy.onnx", options.PolicyPath);
        Assert.Equal(ExecutionProviderOption.Cuda, options.ExecutionProvider);
    }

    [Fact]
    public void AddServices_NothingConfigured_UsesTheOneDefaultModelPath()
    {
        using var sp = Build(new ServeSettings { ClusterStateFile = "s.json" }, []);

        Assert.Equal(LeptonModelOptions.DefaultPolicyPath, sp.GetRequiredService<IOptions<LeptonModelOptions>>().Value.PolicyPath);
    }

    [Fact]
    public void ScorerRegistry_ModelsAddedAfterTheExtender_StillHasLearned()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        services.AddLeptonExtender();
        services.AddLeptonModels(o => o.ExecutionProvider = ExecutionProviderOption.Cpu);
        services.AddLeptonModels();
        using var sp = services.BuildServiceProvider();

        var registry = sp.GetRequiredService<ScorerRegistry>();

        Assert.True(registry.Contains("Learned"));
        Assert.True(registry.Contains("FGD"));
        Assert.Single(sp.GetServices<ScorerRegistration>());
    }

    [Fact]
    public void ScorerRegistration_SameNameTwice_RefusedNamingThePolicy()
    {
        var registrations = new[] { new ScorerRegistration("Mine", _ => new Scheduling.Scoring.BestFit.BestFitScorer()), new ScorerRegistration("Mine", _ => new Scheduling.Scoring.BestFit.BestFitScorer()) };

        var e = Assert.Throws<ArgumentException>(() => ScorerRegistration.Build(registrations, new ServiceCollection().BuildServiceProvider()));

        Assert.Contains("'Mine' is already registered", e.Message, StringComparison.Ordinal);
    }
}
