using Lepton.Extender.Tests.TestSupport;
using Lepton.Extender.Verbs;
using Lepton.Scheduling.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lepton.Extender.Tests;

public sealed class ExtenderOptionsValidatorTests
{
    [Fact]
    public void Validate_UnknownPolicy_FailsListingKnownNames()
    {
        var sut = new ExtenderOptionsValidator(ScorerRegistry.CreateDefault());

        var result = sut.Validate(null, new ExtenderOptions { Policy = "Magic" });

        Assert.True(result.Failed);
        Assert.Contains("Unknown policy 'Magic'. Known policies: Random, DotProd, GpuClustering, GpuPacking, BestFit, FGD", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingStateFile_Fails()
    {
        var sut = new ExtenderOptionsValidator(ScorerRegistry.CreateDefault());

        var result = sut.Validate(null, new ExtenderOptions { ClusterStateFile = "/nonexistent/state.json" });

        Assert.Contains("does not exist", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lepton")]
    [InlineData("/lepton/")]
    public void Options_BadPathPrefix_FailsDataAnnotations(string prefix)
    {
        using var harness = new ExtenderHarness(o => o.PathPrefix = prefix);

        Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<ExtenderOptions>>().Value);
    }

    [Fact]
    public void Options_PolicyAnyCase_Accepted()
    {
        using var harness = new ExtenderHarness(o => o.Policy = "bestfit");

        Assert.Equal("BestFit", harness.Extender.PolicyName);
    }

    [Fact]
    public void Validate_UndefinedScoreMapping_FailsListingKnownMappings()
    {
        var sut = new ExtenderOptionsValidator(ScorerRegistry.CreateDefault());

        var result = sut.Validate(null, new ExtenderOptions { ScoreMapping = (ScoreMapping)7 });

        Assert.True(result.Failed);
        Assert.Contains("Unknown score mapping '7'. Known mappings: StableRank, MinMax, MinMaxTruncated, Rank, Divide, TopOnly.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ScoreMappingDefault_StableRank()
    {
        using var harness = new ExtenderHarness();

        Assert.Equal(ScoreMapping.StableRank, harness.Services.GetRequiredService<IOptions<ExtenderOptions>>().Value.ScoreMapping);
        Assert.Equal(ScoreMapping.StableRank, harness.Extender.ScoreMapping);
    }

    [Fact]
    public void Options_ScoreMappingFromConfiguration_ReachesTheExtender()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Lepton:Extender:ScoreMapping"] = "MinMax" })
            .Build());
        services.AddLogging();
        services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        services.AddLeptonExtender();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(ScoreMapping.MinMax, provider.GetRequiredService<LeptonExtender>().ScoreMapping);
    }
}
