using Lepton.Extender.Metrics;
using Prometheus;

namespace Lepton.Extender.Tests.Metrics;

public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task Register_Scrape_ExportsTheRuntimeOnceThroughTheProcessCollector()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var sut = RuntimeMetrics.Register(registry);
        GC.Collect();

        // The Meters adapter publishes an instrument's value from the collection after it first sees it.
        _ = await ScrapeAsync(registry);
        var text = await ScrapeAsync(registry);

        Assert.Contains("dotnet_collection_count_total{generation=\"0\"}", text, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("system_runtime_", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportsInstrument_RuntimeMeterOrAnother_OnlyTheOther()
    {
        using var runtime = new System.Diagnostics.Metrics.Meter(RuntimeMetrics.RuntimeMeterName);
        using var other = new System.Diagnostics.Metrics.Meter("Microsoft.AspNetCore.Hosting");

        Assert.False(RuntimeMetrics.ExportsInstrument(runtime.CreateCounter<long>("dotnet.gc.collections")));
        Assert.True(RuntimeMetrics.ExportsInstrument(other.CreateCounter<long>("http.server.active_requests")));
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
