using Lepton.Models.Inference;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Scoring;
using Prometheus;

namespace Lepton.Models.Metrics;

/// <summary>
/// Every Prometheus metric of the model layer (house style 19), in one registry:
/// <list type="bullet">
/// <item><c>lepton_scoring_fallback_total{reason}</c>: scoring calls answered by the heuristic
/// (missing, load_error, schema_mismatch, nan, inference_error); one definition with the extender's all-zero
/// prioritize answers (<see cref="ScoringFallbackMetric"/>), so a registry holding both describes it once.</item>
/// <item><c>lepton_learned_scorer_deferred_total{reason}</c>: scoring calls the learned scorer answered with FGD's scores
/// by rule although the model is healthy, outside its training distribution: every pod while the typical-task mix has a
/// GPU-model-constrained class (workload_mix_out_of_distribution), else a pod that constrains the GPU model
/// (gpu_model_constraint); not fallbacks.</item>
/// <item><c>lepton_model_execution_provider{provider}</c>: 1 for the provider running the model (cpu, cuda), 0 for the others.</item>
/// <item><c>lepton_model_inference_seconds</c>: histogram of one batched inference.</item>
/// <item><c>lepton_model_reloads_total{result}</c>: model (re)loads by result (loaded, failed).</item>
/// <item><c>lepton_model_loaded</c>: 1 while a model is loaded.</item>
/// </list>
/// </summary>
public sealed class ModelMetrics
{
    private static readonly string[] Providers = ["cpu", "cuda"];
    private readonly Counter _fallback;
    private readonly Counter _deferred;
    private readonly Gauge _provider;
    private readonly Histogram _inference;
    private readonly Counter _reloads;
    private readonly Gauge _loaded;

    /// <summary>Creates the metrics in a registry.</summary>
    /// <param name="registry">The registry; the process default when null.</param>
    public ModelMetrics(CollectorRegistry? registry = null)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.DefaultRegistry);
        _fallback = factory.CreateCounter(ScoringFallbackMetric.Name, ScoringFallbackMetric.Help, [ScoringFallbackMetric.ReasonLabel]);
        _deferred = factory.CreateCounter(
            "lepton_learned_scorer_deferred_total",
            "Scoring calls the learned scorer answered with FGD's scores by rule (pod or workload mix outside its training data), by reason; the model is healthy.",
            ["reason"]);
        _provider = factory.CreateGauge("lepton_model_execution_provider", "1 for the ONNX Runtime execution provider running the model.", ["provider"]);
        _inference = factory.CreateHistogram(
            "lepton_model_inference_seconds",
            "Time of one batched model inference (all candidate nodes of one pod).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00002, 2, 16) });
        _reloads = factory.CreateCounter("lepton_model_reloads_total", "Model loads and reloads by result (loaded, failed).", ["result"]);
        _loaded = factory.CreateGauge("lepton_model_loaded", "1 while a model is loaded.");
    }

    /// <summary>Counts a fallback.</summary>
    /// <param name="reason">The reason.</param>
    public void Fallback(FallbackReason reason) => _fallback.WithLabels(reason.ToLabel()).Inc();

    /// <summary>The count of fallbacks for a reason (tests, diagnostics).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public double FallbackCount(FallbackReason reason) => _fallback.WithLabels(reason.ToLabel()).Value;

    /// <summary>Counts a scoring call deferred to FGD by rule.</summary>
    /// <param name="reason">The reason.</param>
    public void Deferred(DeferralReason reason) => _deferred.WithLabels(reason.ToLabel()).Inc();

    /// <summary>The count of deferrals for a reason (tests, diagnostics).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public double DeferredCount(DeferralReason reason) => _deferred.WithLabels(reason.ToLabel()).Value;

    /// <summary>Marks which provider runs the model (null: none loaded).</summary>
    /// <param name="provider">cpu, cuda, or null.</param>
    public void SetProvider(string? provider)
    {
        foreach (var p in Providers)
        {
            _provider.WithLabels(p).Set(p == provider ? 1 : 0);
        }

        _loaded.Set(provider is null ? 0 : 1);
    }

    /// <summary>The provider gauge's value for a provider (tests, diagnostics).</summary>
    /// <param name="provider">cpu or cuda.</param>
    /// <returns>1 when it runs the model.</returns>
    public double ProviderValue(string provider) => _provider.WithLabels(provider).Value;

    /// <summary>Records one inference.</summary>
    /// <param name="seconds">Its duration.</param>
    public void Inference(double seconds) => _inference.Observe(seconds);

    /// <summary>Counts a load attempt.</summary>
    /// <param name="success">Whether it loaded.</param>
    public void Reload(bool success) => _reloads.WithLabels(success ? "loaded" : "failed").Inc();
}
