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
    public async Task Scrape_JobWaiting_ReportsSecondsSinceTheConditionTurnedTrueAndDropsItOncePlaced()
    {
        _ = new UnschedulableJobsMetric(_jobs, _clock, _registry);
        _jobs.Upsert(Job("big", "1", unschedulable: true));
        _jobs.Upsert(Job("small", "1", unschedulable: false));
        _clock.Advance(TimeSpan.FromSeconds(90));

        var first = await ScrapeAsync();
        _jobs.Upsert(Job("big", "2", unschedulable: false));
        var second = await ScrapeAsync();

        Assert.Contains("lepton_leptonjob_unschedulable_seconds{namespace=\"ml\",name=\"big\"} 90", first, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"small\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"big\"", second, StringComparison.Ordinal);
    }

    private V1Alpha1LeptonJob Job(string name, string resourceVersion, bool unschedulable) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml", ResourceVersion = resourceVersion },
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
                    LastTransitionTime = TestClock.Epoch.UtcDateTime,
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
