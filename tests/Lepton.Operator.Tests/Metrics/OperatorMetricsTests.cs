using Lepton.Operator.Metrics;
using Prometheus;

namespace Lepton.Operator.Tests.Metrics;

public sealed class OperatorMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    [Fact]
    public async Task SetLeader_LeadsThenLoses_OneUnlabelledSeriesAndAnInfoSeriesForTheIdentity()
    {
        var sut = new OperatorMetrics(_registry);

        sut.SetLeader("lepton-7d9f-abcde", isLeader: true);
        var leading = await ScrapeAsync();
        sut.SetLeader("lepton-7d9f-abcde", isLeader: false);
        var standby = await ScrapeAsync();

        Assert.Contains("\nlepton_leader 1\n", leading, StringComparison.Ordinal);
        Assert.Contains("\nlepton_leader 0\n", standby, StringComparison.Ordinal);
        Assert.DoesNotContain("lepton_leader{", standby, StringComparison.Ordinal);
        Assert.Contains("lepton_leader_info{identity=\"lepton-7d9f-abcde\"} 1", standby, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
