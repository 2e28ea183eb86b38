using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;
using Lepton.Operator.Tests.Testing;
using Prometheus;

namespace Lepton.Operator.Tests.Jobs;

public sealed class UnschedulableJobsMetricTests
{
    private readonly TestClock _clock = new();
    private readonly ObjectCache<V1Alpha1LeptonJob> _jobs = new();
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    [Fact]
    public async Task Scrape_JobWaiting_ReportsCountAndLongestWaitPerNamespaceAndDropsThemOncePlaced()
    {
        _ = new UnschedulableJobsMetric(_jobs, _clock, _registry);
        _jobs.Upsert(Job("big", "1", unschedulable: true));
        _jobs.Upsert(Job("small", "1", unschedulable: false));
        _clock.Advance(TimeSpan.FromSeconds(90));

        var first = await ScrapeAsync();
        _jobs.Upsert(Job("big", "2", unschedulable: false));
        var second = await ScrapeAsync();

        Assert.Contains("lepton_leptonjobs_unschedulable{leptonjob_namespace=\"ml\"} 1", first, StringComparison.Ordinal);
        Assert.Contains("lepton_leptonjob_unschedulable_longest_seconds{leptonjob_namespace=\"ml\"} 90", first, StringComparison.Ordinal);
        Assert.DoesNotContain("leptonjob_namespace=", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_ManyJobsWaiting_OneSeriesPerNamespaceNeverPerJob()
    {
        _ = new UnschedulableJobsMetric(_jobs, _clock, _registry);
        for (var i = 0; i < 50; i++)
        {
            _jobs.Upsert(Job($"job-{i}", "1", unschedulable: true, ns: i % 2 == 0 ? "ml" : "vision", since: TestClock.Epoch.AddSeconds(i)));
        }

        _clock.Advance(TimeSpan.FromSeconds(100));

        var text = await ScrapeAsync();

        var series = text.Split('\n').Where(l => l.StartsWith("lepton_leptonjob", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, series.Count);
        Assert.DoesNotContain("job-", text, StringComparison.Ordinal);
        Assert.Contains("lepton_leptonjobs_unschedulable{leptonjob_namespace=\"ml\"} 25", text, StringComparison.Ordinal);
        Assert.Contains("lepton_leptonjob_unschedulable_longest_seconds{leptonjob_namespace=\"ml\"} 100", text, StringComparison.Ordinal);
        Assert.Contains("lepton_leptonjob_unschedulable_longest_seconds{leptonjob_namespace=\"vision\"} 99", text, StringComparison.Ordinal);
    }

    private static V1Alpha1LeptonJob Job(string name, string resourceVersion, bool unschedulable, string ns = "ml", DateTimeOffset? since = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = resourceVersion },
        Status = new V1Alpha1LeptonJobStatus
        {
            Conditions =
            [
                new V1Condition
                {
                    Type = LeptonJobConditionTypes.Unschedulable,
                    Status = unschedulable ? "True" : "False",
                    Reason = "InsufficientResources",
                    Message = "waiting",
                    LastTransitionTime = (since ?? TestClock.Epoch).UtcDateTime,
                },
            ],
        },
    };

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
