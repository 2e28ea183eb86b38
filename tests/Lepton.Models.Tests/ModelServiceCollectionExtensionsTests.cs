using Lepton.Models.Inference;
using Lepton.Models.Scoring;
using Lepton.Models.Tests.Testing;
using Lepton.Scheduling.Scoring;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Lepton.Models.Tests;

public class ModelServiceCollectionExtensionsTests
{
    [Fact]
    public void AddLeptonModels_WithModelFile_RegistersOneSharedSessionAndLearnedPolicy()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        services.AddLeptonModels(o =>
        {
            o.PolicyPath = path;
            o.ExecutionProvider = ExecutionProviderOption.Cpu;
        });
        using var sp = services.BuildServiceProvider();

        var registry = ScorerRegistration.Build(sp.GetServices<ScorerRegistration>(), sp);
        var sut = registry.Create("learned");

        Assert.IsType<LearnedScorer>(sut);
        Assert.Equal("Learned", sut.Name);
        Assert.Same(sp.GetRequiredService<IScoringModel>(), sp.GetRequiredService<ScoringModelHost>());
        Assert.True(sp.GetRequiredService<ScoringModelHost>().IsLoaded);
        Assert.Contains(sp.GetServices<IHostedService>(), s => s is ModelReloadService);
    }

    [Fact]
    public async Task AddLeptonModels_PolicyFgd_NoSessionIsCreated()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<TimeProvider>(time);
        services.AddLeptonModels(o => o.PolicyPath = path);
        using var sp = services.BuildServiceProvider();
        var hosted = sp.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var registry = ScorerRegistration.Build(sp.GetServices<ScorerRegistration>(), sp);
        var sut = registry.Create("FGD");
        time.Advance(TimeSpan.FromMinutes(5));
        var host = sp.GetRequiredService<ScoringModelHost>();

        Assert.Equal("FGD", sut.Name);
        Assert.False(host.LoadAttempted);
        Assert.False(host.IsLoaded);
        Assert.Equal(0, host.Generation);
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void AddLearned_MissingModelFile_StillRegistersAndScoresAsFgd()
    {
        using var dir = new TempDirectory();
        var registry = ScorerRegistry.CreateDefault();

        using var host = registry.AddLearned(Path.Combine(dir.Path, "missing.onnx"), ExecutionProviderOption.Cpu);

        Assert.True(registry.Contains("Learned"));
        Assert.Equal(FallbackReason.Missing, host.Failure);
    }
}
