using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Entities;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Lepton.Operator.Jobs;

/// <summary>
/// <c>lepton_leptonjob_unschedulable_seconds{namespace,name}</c>: for every LeptonJob whose <c>Unschedulable</c>
/// condition is True, the seconds since it turned True (its <c>lastTransitionTime</c>). Computed from the job cache
/// at each scrape, so it grows while a job waits even when nothing reconciles it, and a job that got placed,
/// finished or was deleted disappears from the metric. Every replica reports it from its own cache (the chart's
/// alert takes the max). The chart alerts on gangs pending longer than a threshold.
/// </summary>
public sealed class UnschedulableJobsMetric : IHostedService
{
    /// <summary>The metric name.</summary>
    public const string Name = "lepton_leptonjob_unschedulable_seconds";

    private readonly IObjectCache<V1Alpha1LeptonJob> _jobs;
    private readonly TimeProvider _time;
    private readonly Gauge _gauge;
    private readonly Lock _gate = new();

    /// <summary>Creates the metric on <paramref name="registry"/> and updates it before every collection.</summary>
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
        _gauge = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge(
            Name,
            "Seconds since a LeptonJob's Unschedulable condition turned True (only jobs waiting now).",
            ["namespace", "name"]);
        registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>Recomputes the gauge from the cache (called before each scrape).</summary>
    public void Update()
    {
        var now = _time.GetUtcNow();
        var waiting = new HashSet<(string Namespace, string Name)>();
        lock (_gate)
        {
            foreach (var job in _jobs.List())
            {
                if (job.Status?.FindCondition(LeptonJobConditionTypes.Unschedulable) is not { Status: "True" } condition)
                {
                    continue;
                }

                var ns = job.Metadata.NamespaceProperty ?? "";
                var name = job.Metadata.Name ?? "";
                var since = condition.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
                _gauge.WithLabels(ns, name).Set(Math.Max(0, (now - since).TotalSeconds));
                waiting.Add((ns, name));
            }

            foreach (var labels in _gauge.GetAllLabelValues())
            {
                if (!waiting.Contains((labels[0], labels[1])))
                {
                    _gauge.RemoveLabelled(labels);
                }
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
