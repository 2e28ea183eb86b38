using Lepton.Simulator.Reporting;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Xunit.Abstractions;

namespace Lepton.Simulator.Tests.Running;

[Collection(OpenbFidelityCollection.Name)]
public class OpenbFidelityTests
{
    private readonly OpenbFidelityFixture _fixture;
    private readonly ITestOutputHelper _output;

    public OpenbFidelityTests(OpenbFidelityFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private SimulationReport Report()
    {
        Skip.If(_fixture.Report is null, OpenbTraces.SkipMessage);
        return _fixture.Report!;
    }

    private double Mean(string policy) => Report().Policies.Single(p => p.Policy == policy).At(100)!.Mean!.Value;

    [SkippableTheory]
    [InlineData("Random")]
    [InlineData("DotProd")]
    [InlineData("GpuClustering")]
    [InlineData("GpuPacking")]
    [InlineData("BestFit")]
    [InlineData("FGD")]
    public void DefaultTrace_UnallocatedAt100_MatchesThePublishedMean(string policy)
    {
        var mean = Mean(policy);
        Assert.True(PublishedResults.TryGet("openb_pod_list_default", policy, out var published));
        _output.WriteLine($"{policy}: {mean:F2} (published {published.Mean:F2} ± {published.Sd:F2}, tolerance ±{PublishedResults.Tolerance(policy)})");

        Assert.InRange(mean, published.Mean - PublishedResults.Tolerance(policy), published.Mean + PublishedResults.Tolerance(policy));
    }

    [SkippableFact]
    public void DefaultTrace_PolicyOrder_IsThePapers()
    {
        Assert.True(Mean("FGD") < Mean("BestFit"));
        Assert.True(Mean("BestFit") < Mean("GpuPacking"));
        Assert.True(Mean("DotProd") < Mean("Random"));
    }

    [SkippableFact]
    public void DefaultTrace_TuneUp_AddsTheArtifactsCloneCount()
    {
        // METHOD.md section 7: 2,621-2,760 clones per seed; 35 typical-task classes, 7,766 of 8,152 pods.
        var report = Report();

        Assert.Equal(35, report.TypicalTasks.Classes);
        Assert.Equal(7766.0 / 8152, report.TypicalTasks.Coverage, 6);
        Assert.All(report.Policies.SelectMany(p => p.Runs), r => Assert.InRange(r.CloneCount, 2550, 2850));
    }

    [SkippableFact]
    public void DefaultTrace_EverySeedReachesEveryLevel()
    {
        Assert.All(Report().Policies.SelectMany(p => p.Levels), l => Assert.All(l.PerSeed, v => Assert.NotNull(v)));
    }
}
