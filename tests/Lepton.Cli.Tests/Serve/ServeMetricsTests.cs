using Lepton.Extender.Metrics;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Scheduling.Scoring;
using Prometheus;

namespace Lepton.Cli.Tests.Serve;

/// <summary>
/// <c>lepton serve</c> registers the extender's and the model layer's metrics on one registry;
/// the metric both record is one family with one description, whichever registers first.
/// </summary>
public sealed class ServeMetricsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ScoringFallback_BothLayersOnOneRegistry_OneFamilyDescribedOnce(bool extenderFirst)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        ExtenderMetrics extender;
        ModelMetrics model;
        if (extenderFirst)
        {
            extender = new ExtenderMetrics(registry);
            model = new ModelMetrics(registry);
        }
        else
        {
            model = new ModelMetrics(registry);
            extender = new ExtenderMetrics(registry);
        }

        extender.ScoringFallback("pod_unmappable");
        model.Fallback(FallbackReason.Missing);
        var sut = await ScrapeAsync(registry);

        var help = sut.Split('\n').Where(l => l.StartsWith("# HELP " + ScoringFallbackMetric.Name + " ", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"# HELP {ScoringFallbackMetric.Name} {ScoringFallbackMetric.Help}"], help);
        Assert.Contains(ScoringFallbackMetric.Name + "{reason=\"pod_unmappable\"} 1", sut, StringComparison.Ordinal);
        Assert.Contains(ScoringFallbackMetric.Name + "{reason=\"missing\"} 1", sut, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
