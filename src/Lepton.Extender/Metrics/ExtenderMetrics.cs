using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Prometheus;

namespace Lepton.Extender.Metrics;

/// <summary>
/// Every Prometheus metric of the extender (house style 19, DECISIONS.md 16), registered in one
/// <see cref="CollectorRegistry"/> (the process default in production, a private one per test).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>lepton_extender_requests_total{verb,result}</c>: requests by outcome: <c>ok</c>,
/// <c>error</c> (a protocol <c>Error</c> or a safe fallback answer), <c>rejected</c> (HTTP 4xx).</item>
/// <item><c>lepton_extender_request_duration_seconds{verb}</c>: histogram, body read to answer written.</item>
/// <item><c>lepton_extender_nodes_evaluated{verb}</c>: histogram of candidate nodes per filter/prioritize/preempt request.</item>
/// <item><c>lepton_scoring_fallback_total{reason}</c>: prioritize answers that fell back to all-zero scores
/// (<c>pod_unmappable</c>, <c>scorer_error</c>, <c>internal_error</c>); one definition with the model layer's
/// fallbacks (<see cref="ScoringFallbackMetric"/>).</item>
/// <item><c>lepton_extender_rejected_requests_total{verb,reason}</c>: HTTP 400/408/413 answers by reason.</item>
/// <item><c>lepton_extender_typical_mix_builtin</c>: 1 while the FGD typical-task mix is the built-in one.</item>
/// <item><c>lepton_extender_ready</c>: 1 once the cluster state is loaded or synced.</item>
/// <item><c>lepton_gpu_capacity_gpus{gpu_model}</c>, <c>lepton_gpu_allocated_gpus{gpu_model}</c>,
/// <c>lepton_gpu_fragmentation_gpus{gpu_model}</c>: the cluster's GPUs, those requested by placed pods, and
/// Σ F(n) under the current typical-task mix, per GPU model (bounded by the models in the cluster; nodes
/// without a model label count as <c>unknown</c>), computed from the cluster state at each scrape.</item>
/// </list>
/// </remarks>
public sealed class ExtenderMetrics
{
    /// <summary>The <c>result</c> label of a successful request.</summary>
    public const string ResultOk = "ok";

    /// <summary>The <c>result</c> label of a request answered with a protocol error or a safe fallback.</summary>
    public const string ResultError = "error";

    /// <summary>The <c>result</c> label of a request refused with an HTTP error status.</summary>
    public const string ResultRejected = "rejected";

    /// <summary>The label of the GPU model on the per-model GPU gauges.</summary>
    public const string GpuModelLabel = "gpu_model";

    /// <summary>The <see cref="GpuModelLabel"/> value of nodes that do not name their GPU model.</summary>
    public const string UnknownGpuModel = "unknown";

    private static readonly string[] VerbLabels = ["filter", "prioritize", "bind", "preempt"];

    private readonly Counter _requests;
    private readonly Counter _rejected;
    private readonly Counter _fallback;
    private readonly Histogram.Child[] _duration;
    private readonly Histogram.Child[] _nodes;
    private readonly Counter.Child[] _ok;
    private readonly Counter.Child[] _error;
    private readonly Counter.Child[] _rejectedResult;
    private readonly Gauge _gpuCapacity;
    private readonly Gauge _gpuAllocated;
    private readonly Gauge _gpuFragmentation;
    private readonly Lock _gpuGate = new();

    /// <summary>Creates the metrics in a registry.</summary>
    /// <param name="registry">Where to register them.</param>
    public ExtenderMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter(
            "lepton_extender_requests_total",
            "Extender requests by verb and result (ok, error, rejected).",
            ["verb", "result"]);
        var duration = factory.CreateHistogram(
            "lepton_extender_request_duration_seconds",
            "Time from reading an extender request to writing its answer.",
            ["verb"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 17) });
        var nodes = factory.CreateHistogram(
            "lepton_extender_nodes_evaluated",
            "Candidate nodes evaluated per extender request.",
            ["verb"],
            new HistogramConfiguration { Buckets = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000] });
        _fallback = factory.CreateCounter(ScoringFallbackMetric.Name, ScoringFallbackMetric.Help, [ScoringFallbackMetric.ReasonLabel]);
        _rejected = factory.CreateCounter(
            "lepton_extender_rejected_requests_total",
            "Extender requests refused with an HTTP error status, by verb and reason.",
            ["verb", "reason"]);
        BuiltInMix = factory.CreateGauge(
            "lepton_extender_typical_mix_builtin",
            "1 while the FGD typical-task mix is the built-in one (too few recent pods), else 0.");
        Ready = factory.CreateGauge(
            "lepton_extender_ready",
            "1 once the cluster state is loaded or synced, else 0.");
        _gpuCapacity = factory.CreateGauge(
            "lepton_gpu_capacity_gpus",
            "GPUs on the cluster's nodes, per GPU model (unknown: no model label).",
            [GpuModelLabel]);
        _gpuAllocated = factory.CreateGauge(
            "lepton_gpu_allocated_gpus",
            "GPUs requested by the pods placed on the cluster's nodes, per GPU model (a share counts as its fraction).",
            [GpuModelLabel]);
        _gpuFragmentation = factory.CreateGauge(
            "lepton_gpu_fragmentation_gpus",
            "GPU fragmentation per GPU model: the sum of F(n) over its nodes under the current typical-task mix, in GPUs.",
            [GpuModelLabel]);

        _duration = [.. VerbLabels.Select(v => duration.WithLabels(v))];
        _nodes = [.. VerbLabels.Select(v => nodes.WithLabels(v))];
        _ok = [.. VerbLabels.Select(v => _requests.WithLabels(v, ResultOk))];
        _error = [.. VerbLabels.Select(v => _requests.WithLabels(v, ResultError))];
        _rejectedResult = [.. VerbLabels.Select(v => _requests.WithLabels(v, ResultRejected))];
    }

    /// <summary><c>lepton_extender_typical_mix_builtin</c>.</summary>
    public Gauge BuiltInMix { get; }

    /// <summary>Sets <see cref="BuiltInMix"/> (the typical-mix provider's callback).</summary>
    /// <param name="usesBuiltIn">Whether the built-in mix is in use.</param>
    public void SetBuiltInMix(bool usesBuiltIn) => BuiltInMix.Set(usesBuiltIn ? 1 : 0);

    /// <summary><c>lepton_extender_ready</c>.</summary>
    public Gauge Ready { get; }

    /// <summary>The label value of a verb.</summary>
    /// <param name="verb">The verb.</param>
    /// <returns><c>filter</c>, <c>prioritize</c>, <c>bind</c> or <c>preempt</c>.</returns>
    public static string Label(ExtenderVerb verb) => VerbLabels[(int)verb];

    /// <summary>Records a finished request.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="result">One of <see cref="ResultOk"/>, <see cref="ResultError"/>, <see cref="ResultRejected"/>.</param>
    /// <param name="seconds">How long it took.</param>
    public void RequestDone(ExtenderVerb verb, string result, double seconds)
    {
        var i = (int)verb;
        var counter = result switch
        {
            ResultOk => _ok[i],
            ResultError => _error[i],
            ResultRejected => _rejectedResult[i],
            _ => _requests.WithLabels(VerbLabels[i], result),
        };
        counter.Inc();
        _duration[i].Observe(seconds);
    }

    /// <summary>Records how many candidate nodes a request evaluated.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="count">The number of nodes.</param>
    public void NodesEvaluated(ExtenderVerb verb, int count) => _nodes[(int)verb].Observe(count);

    /// <summary>Counts a request refused with an HTTP error status.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="reason">A short reason (<c>bad_json</c>, <c>too_large</c>, <c>timeout</c>…).</param>
    public void Rejected(ExtenderVerb verb, string reason) => _rejected.WithLabels(VerbLabels[(int)verb], reason).Inc();

    /// <summary>Counts a prioritize answer that fell back to zero scores.</summary>
    /// <param name="reason">A short reason (<c>scorer_error</c>, <c>pod_unmappable</c>…).</param>
    public void ScoringFallback(string reason) => _fallback.WithLabels(reason).Inc();

    /// <summary>
    /// Sets the per-GPU-model gauges from the nodes' current state (called before each scrape):
    /// capacity, allocation and Σ F(n) under <paramref name="mix"/>, in GPUs. A model no node has any more
    /// is removed, so the series stay bounded by the GPU models in the cluster.
    /// </summary>
    /// <param name="nodes">The cluster's nodes.</param>
    /// <param name="mix">The typical-task mix F(n) is measured against.</param>
    public void RecordGpus(ReadOnlySpan<NodeState> nodes, FragmentationModel mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        var byModel = new Dictionary<string, (double Capacity, double Allocated, double Fragmentation)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Inventory.GpuCards == 0)
            {
                continue;
            }

            var model = string.IsNullOrEmpty(node.Inventory.GpuModel) ? UnknownGpuModel : node.Inventory.GpuModel;
            var (capacity, allocated, fragmentation) = byModel.GetValueOrDefault(model);
            byModel[model] = (capacity + node.Inventory.GpuCards, allocated + (node.GpuUsedMilli / 1000.0), fragmentation + (mix.Of(node) / 1000.0));
        }

        lock (_gpuGate)
        {
            foreach (var (model, (capacity, allocated, fragmentation)) in byModel)
            {
                _gpuCapacity.WithLabels(model).Set(capacity);
                _gpuAllocated.WithLabels(model).Set(allocated);
                _gpuFragmentation.WithLabels(model).Set(fragmentation);
            }

            foreach (var gauge in new[] { _gpuCapacity, _gpuAllocated, _gpuFragmentation })
            {
                foreach (var labels in gauge.GetAllLabelValues().ToList())
                {
                    if (!byModel.ContainsKey(labels[0]))
                    {
                        gauge.RemoveLabelled(labels);
                    }
                }
            }
        }
    }
}
