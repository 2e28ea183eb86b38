using Prometheus;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// The rebalancer's Prometheus metrics: <c>lepton_rebalancer_cycles_total</c>,
/// <c>lepton_rebalancer_evictions_total{result}</c>, <c>lepton_rebalancer_fragmentation_gpus</c> (base unit: GPUs) and
/// <c>lepton_rebalancer_planned_moves</c>. One instance per registry; tests use their own registry.
/// </summary>
public sealed class RebalancerMetrics
{
    /// <summary>The <c>result</c> label of a pod evicted.</summary>
    public const string ResultEvicted = "evicted";

    /// <summary>The <c>result</c> label of an eviction refused by a PodDisruptionBudget (HTTP 429).</summary>
    public const string ResultPdbBlocked = "pdb_blocked";

    /// <summary>The <c>result</c> label of an eviction that failed (500, 403, retries exhausted, ...).</summary>
    public const string ResultError = "error";

    /// <summary>The <c>result</c> label of a move reported but not made (dry-run mode).</summary>
    public const string ResultDryRun = "dry_run";

    private readonly Counter _cycles;
    private readonly Counter _evictions;
    private readonly Gauge _fragmentation;
    private readonly Gauge _plannedMoves;

    /// <summary>Creates the metrics on <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry; null means <see cref="Prometheus.Metrics.DefaultRegistry"/>.</param>
    public RebalancerMetrics(CollectorRegistry? registry = null)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.DefaultRegistry);
        _cycles = factory.CreateCounter(
            "lepton_rebalancer_cycles_total",
            "Rebalancer cycles run (on the leader).");
        _evictions = factory.CreateCounter(
            "lepton_rebalancer_evictions_total",
            "Planned moves by outcome: evicted, pdb_blocked (429 from a PodDisruptionBudget), error, dry_run.",
            ["result"]);
        _fragmentation = factory.CreateGauge(
            "lepton_rebalancer_fragmentation_gpus",
            "The cluster's total GPU fragmentation, sum of F(n) over nodes in GPUs, at the last cycle.");
        _plannedMoves = factory.CreateGauge(
            "lepton_rebalancer_planned_moves",
            "Moves planned in the last cycle.");
        foreach (var result in new[] { ResultEvicted, ResultPdbBlocked, ResultError, ResultDryRun })
        {
            _evictions.WithLabels(result);
        }
    }

    /// <summary>Gets the cycles run.</summary>
    public double Cycles => _cycles.Value;

    /// <summary>Gets the last cluster fragmentation recorded, in GPUs.</summary>
    public double FragmentationGpus => _fragmentation.Value;

    /// <summary>Gets the moves planned in the last cycle.</summary>
    public double PlannedMoves => _plannedMoves.Value;

    /// <summary>Counts one cycle.</summary>
    public void CycleRan() => _cycles.Inc();

    /// <summary>Records a cycle's plan.</summary>
    /// <param name="fragmentationMilli">The cluster's total fragmentation before the moves, in milli-GPU (the planner's unit).</param>
    /// <param name="plannedMoves">The moves planned.</param>
    public void Planned(double fragmentationMilli, int plannedMoves)
    {
        _fragmentation.Set(fragmentationMilli / 1000.0);
        _plannedMoves.Set(plannedMoves);
    }

    /// <summary>Counts one planned move's outcome.</summary>
    /// <param name="result">One of the <c>Result*</c> constants.</param>
    public void Eviction(string result) => _evictions.WithLabels(result).Inc();

    /// <summary>Returns the count of outcomes labelled <paramref name="result"/>.</summary>
    /// <param name="result">One of the <c>Result*</c> constants.</param>
    /// <returns>The count.</returns>
    public double Evictions(string result) => _evictions.WithLabels(result).Value;
}
