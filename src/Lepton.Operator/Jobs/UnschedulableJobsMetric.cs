using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Entities;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Lepton.Operator.Jobs;

/// <summary>
/// LeptonJobs waiting for room, per namespace (never a series per job):
/// <list type="bullet">
/// <item><c>lepton_leptonjobs_unschedulable{leptonjob_namespace}</c>: jobs whose <c>Unschedulable</c>
/// condition is True now.</item>
/// <item><c>lepton_leptonjob_unschedulable_longest_seconds{leptonjob_namespace}</c>: the longest of their
/// waits, seconds since the condition turned True (its <c>lastTransitionTime</c>).</item>
/// </list>
/// Computed from the job cache at each scrape, so the wait grows while a job waits even when nothing
/// reconciles it, and a namespace whose jobs were all placed, finished or deleted disappears. The label is
/// <c>leptonjob_namespace</c>, not <c>namespace</c>, which the scrape target's own namespace takes. Every
/// replica reports it from its own cache (the chart's <c>LeptonGangPendingTooLong</c> alert takes the max);
/// <c>kubectl get lj -n NS</c> names the jobs.
/// </summary>
public sealed class UnschedulableJobsMetric : IHostedService
{
    /// <summary>The name of the count.</summary>
    public const string CountName = "lepton_leptonjobs_unschedulable";

    /// <summary>The name of the longest wait.</summary>
    public const string LongestName = "lepton_leptonjob_unschedulable_longest_seconds";

    /// <summary>The namespace label.</summary>
    public const string NamespaceLabel = "leptonjob_namespace";

    private readonly IObjectCache<V1Alpha1LeptonJob> _jobs;
    private readonly TimeProvider _time;
    private readonly Gauge _count;
    private readonly Gauge _longest;
    private readonly Lock _gate = new();

    /// <summary>Creates the metrics on <paramref name="registry"/> and updates them before every collection.</summary>
    /// <param name="jobs">The LeptonJob cache.</param>
    /// <param name="time">The clock.</param>
    /// <param name="registry">The registry (null: the default one).</param>
    public UnschedulableJobsMetric(IObjectCache<V1Alpha1LeptonJob> jobs, TimeProvider time, CollectorRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(time);
        _jobs = jobs;
        _time = time;
        registry ??= Prometheus.Metrics.DefaultRegistry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _count = factory.CreateGauge(CountName, "LeptonJobs whose Unschedulable condition is True now, per namespace.", [NamespaceLabel]);
        _longest = factory.CreateGauge(
            LongestName,
            "The longest wait of a LeptonJob Unschedulable now, per namespace: seconds since its Unschedulable condition turned True.",
            [NamespaceLabel]);
        registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>Recomputes the gauges from the cache (called before each scrape).</summary>
    public void Update()
    {
        var now = _time.GetUtcNow();
        var waiting = new Dictionary<string, (int Count, double Longest)>(StringComparer.Ordinal);
        foreach (var job in _jobs.List())
        {
            if (job.Status?.FindCondition(LeptonJobConditionTypes.Unschedulable) is not { Status: "True" } condition)
            {
                continue;
            }

            var ns = job.Metadata.NamespaceProperty ?? "";
            var since = condition.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
            var seconds = Math.Max(0, (now - since).TotalSeconds);
            var (count, longest) = waiting.GetValueOrDefault(ns);
            waiting[ns] = (count + 1, Math.Max(longest, seconds));
        }

        lock (_gate)
        {
            foreach (var (ns, (count, longest)) in waiting)
            {
                _count.WithLabels(ns).Set(count);
                _longest.WithLabels(ns).Set(longest);
            }

            foreach (var gauge in new[] { _count, _longest })
            {
                foreach (var labels in gauge.GetAllLabelValues().ToList())
                {
                    if (!waiting.ContainsKey(labels[0]))
                    {
                        gauge.RemoveLabelled(labels);
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
