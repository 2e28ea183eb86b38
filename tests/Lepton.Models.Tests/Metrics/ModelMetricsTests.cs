using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Scheduling.Scoring;
using Prometheus;

namespace Lepton.Models.Tests.Metrics;

public sealed class ModelMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    [Fact]
    public async Task Fallback_Counted_UnderTheSharedDefinition()
    {
        var sut = new ModelMetrics(_registry);

        sut.Fallback(FallbackReason.Nan);
        var text = await ScrapeAsync();

        Assert.Contains($"# HELP {ScoringFallbackMetric.Name} {ScoringFallbackMetric.Help}\n", text, StringComparison.Ordinal);
        Assert.Contains(ScoringFallbackMetric.Name + "{reason=\"nan\"} 1", text, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
