using Prometheus;

namespace Lepton.Operator.Metrics;

/// <summary>
/// Every Prometheus metric of the operator machinery, named after controller-runtime's
/// (<c>lepton_reconcile_total</c>, <c>lepton_workqueue_depth</c>, ...). One instance per registry; the
/// host registers one on <see cref="Prometheus.Metrics.DefaultRegistry"/>, tests use their own registry.
/// </summary>
public sealed class OperatorMetrics
{
    /// <summary>The <c>result</c> label of a reconcile that returned without requeue.</summary>
    public const string ResultSuccess = "success";

    /// <summary>The <c>result</c> label of a reconcile that threw (retried with backoff, or terminal).</summary>
    public const string ResultError = "error";

    /// <summary>The <c>result</c> label of a reconcile that hit a 409 Conflict and was requeued with backoff.</summary>
    public const string ResultRequeue = "requeue";

    /// <summary>The <c>result</c> label of a reconcile that asked for a timed requeue.</summary>
    public const string ResultRequeueAfter = "requeue_after";

    /// <summary>Buckets of run-time histograms: 10 s to a week.</summary>
    private static readonly double[] DurationBuckets = [10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 604800];

    /// <summary>Creates the metrics on <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry to create them on; null means <see cref="Prometheus.Metrics.DefaultRegistry"/>.</param>
    public OperatorMetrics(CollectorRegistry? registry = null)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.DefaultRegistry);
        ReconcileTotal = factory.CreateCounter(
            "lepton_reconcile_total",
            "Reconciliations per controller and result (success, error, requeue, requeue_after).",
            ["controller", "result"]);
        ReconcileErrors = factory.CreateCounter(
            "lepton_reconcile_errors_total",
            "Reconciliations that failed with an error, per controller.",
            ["controller"]);
        ReconcileTime = factory.CreateHistogram(
            "lepton_reconcile_time_seconds",
            "Duration of one reconciliation, per controller.",
            new HistogramConfiguration
            {
                LabelNames = ["controller"],
                Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60],
            });
        WorkQueueDepth = factory.CreateGauge(
            "lepton_workqueue_depth",
            "Keys waiting in a work queue (not counting keys being processed or waiting for a delay).",
            ["name"]);
        WorkQueueAdds = factory.CreateCounter(
            "lepton_workqueue_adds_total",
            "Keys added to a work queue (duplicates of a waiting key are not counted).",
            ["name"]);
        WorkQueueRetries = factory.CreateCounter(
            "lepton_workqueue_retries_total",
            "Rate-limited re-adds to a work queue (retries after a failure).",
            ["name"]);
        Leader = factory.CreateGauge(
            "lepton_leader",
            "1 while this replica holds the leader lease, else 0 (one series per scrape target; lepton_leader_info names the replica).");
        LeaderInfo = factory.CreateGauge(
            "lepton_leader_info",
            "Always 1; identity is this replica's leader-election identity (the holder recorded in the Lease).",
            ["identity"]);
        InformerRelists = factory.CreateCounter(
            "lepton_informer_relists_total",
            "Full LISTs an informer made after its initial one (410 Gone, expired continue token, errors).",
            ["resource"]);
        InformerWatchRestarts = factory.CreateCounter(
            "lepton_informer_watch_restarts_total",
            "Watches an informer re-opened (server timeout, dropped connection, error event).",
            ["resource"]);
        JobPredictedDuration = factory.CreateHistogram(
            "lepton_job_predicted_duration_seconds",
            "Run time that orders a LeptonJob when it is first seen, per source (Predicted by the duration predictor, Declared by spec.expectedDuration).",
            new HistogramConfiguration { LabelNames = ["source"], Buckets = DurationBuckets });
        JobPredictionLogError = factory.CreateHistogram(
            "lepton_job_prediction_log_error",
            "|ln(actual / predicted)| of LeptonJobs that succeeded, actual = completionTime - startTime, per source (0 is exact; ln 2 = 0.69 is a factor of 2 off).",
            new HistogramConfiguration { LabelNames = ["source"], Buckets = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0] });
        JobQueueWait = factory.CreateHistogram(
            "lepton_job_queue_wait_seconds",
            "Time from a LeptonJob's creation until it is admitted and placed (condition Scheduled=True), per job type.",
            new HistogramConfiguration { LabelNames = ["type"], Buckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400] });
    }

    internal Histogram JobPredictedDuration { get; }

    internal Histogram JobPredictionLogError { get; }

    internal Histogram JobQueueWait { get; }

    internal Counter ReconcileTotal { get; }

    internal Counter ReconcileErrors { get; }

    internal Histogram ReconcileTime { get; }

    internal Gauge WorkQueueDepth { get; }

    internal Counter WorkQueueAdds { get; }

    internal Counter WorkQueueRetries { get; }

    internal Gauge Leader { get; }

    internal Gauge LeaderInfo { get; }

    internal Counter InformerRelists { get; }

    internal Counter InformerWatchRestarts { get; }

    /// <summary>Records one finished reconciliation.</summary>
    /// <param name="controller">The controller name.</param>
    /// <param name="result">One of the <c>Result*</c> constants.</param>
    /// <param name="duration">How long the reconcile took.</param>
    public void ReconcileCompleted(string controller, string result, TimeSpan duration)
    {
        ReconcileTotal.WithLabels(controller, result).Inc();
        if (result == ResultError)
        {
            ReconcileErrors.WithLabels(controller).Inc();
        }

        ReconcileTime.WithLabels(controller).Observe(duration.TotalSeconds);
    }

    /// <summary>Sets the depth of work queue <paramref name="name"/>.</summary>
    /// <param name="name">The queue name.</param>
    /// <param name="depth">Keys waiting.</param>
    public void SetWorkQueueDepth(string name, int depth) => WorkQueueDepth.WithLabels(name).Set(depth);

    /// <summary>Counts one key added to work queue <paramref name="name"/>.</summary>
    /// <param name="name">The queue name.</param>
    public void WorkQueueAdded(string name) => WorkQueueAdds.WithLabels(name).Inc();

    /// <summary>Counts one rate-limited retry in work queue <paramref name="name"/>.</summary>
    /// <param name="name">The queue name.</param>
    public void WorkQueueRetried(string name) => WorkQueueRetries.WithLabels(name).Inc();

    /// <summary>
    /// Sets <c>lepton_leader</c> (no labels: the scrape target says which pod) and
    /// <c>lepton_leader_info{identity}</c>, one series for the process's own identity.
    /// </summary>
    /// <param name="identity">The elector identity.</param>
    /// <param name="isLeader">Whether it leads now.</param>
    public void SetLeader(string identity, bool isLeader)
    {
        LeaderInfo.WithLabels(identity).Set(1);
        Leader.Set(isLeader ? 1 : 0);
    }

    /// <summary>Counts one relist of <paramref name="resource"/>.</summary>
    /// <param name="resource">The resource (plural, with group when not core).</param>
    public void InformerRelisted(string resource) => InformerRelists.WithLabels(resource).Inc();

    /// <summary>Counts one re-opened watch of <paramref name="resource"/>.</summary>
    /// <param name="resource">The resource (plural, with group when not core).</param>
    public void InformerWatchRestarted(string resource) => InformerWatchRestarts.WithLabels(resource).Inc();

    /// <summary>Records the run time that orders a job (<c>lepton_job_predicted_duration_seconds</c>).</summary>
    /// <param name="source"><c>Predicted</c> or <c>Declared</c>.</param>
    /// <param name="seconds">The duration in seconds.</param>
    public void JobPredicted(string source, double seconds) => JobPredictedDuration.WithLabels(source).Observe(seconds);

    /// <summary>Records how far off a finished job's duration was (<c>lepton_job_prediction_log_error</c>).</summary>
    /// <param name="source"><c>Predicted</c> or <c>Declared</c>.</param>
    /// <param name="logError">|ln(actual / predicted)|.</param>
    public void JobPredictionFinished(string source, double logError) => JobPredictionLogError.WithLabels(source).Observe(logError);

    /// <summary>Records how long a job waited from creation until it was placed (<c>lepton_job_queue_wait_seconds</c>).</summary>
    /// <param name="type"><c>Training</c> or <c>Inference</c>.</param>
    /// <param name="wait">The wait.</param>
    public void JobQueued(string type, TimeSpan wait) => JobQueueWait.WithLabels(type).Observe(Math.Max(wait.TotalSeconds, 0));
}
