using System.Globalization;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// One rebalancer cycle: reads the cluster state, builds the typical-task mix (the cluster's recent pods, else the
/// fallback mix), selects the pods that may move (<see cref="PodEligibility"/>, cooldowns), plans moves
/// (<see cref="RebalancePlanner"/>), then evicts them one at a time (<see cref="RebalanceEvictor"/>), or in dry-run
/// mode only reports them, recording an event on each pod and counting each outcome.
/// </summary>
/// <remarks>
/// Called by <see cref="RebalancerService"/> on the leader only, one cycle at a time. Evictions are sequential: a
/// refusal does not stop the cycle (later moves were planned after it, so they may be slightly off; the next
/// cycle plans again from the cluster as it then is).
/// </remarks>
public sealed partial class Rebalancer
{
    private const int SnapshotAttempts = 3;
    private readonly ClusterState _state;
    private readonly IRebalancerPodSource _pods;
    private readonly RebalanceEvictor _evictor;
    private readonly RebalanceEventRecorder _events;
    private readonly RebalancerMetrics _metrics;
    private readonly RebalancerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FragmentationModel? _fallbackMix;
    private readonly IClusterStateReadiness? _readiness;
    private readonly RebalancePlanner _planner;

    /// <summary>Creates the rebalancer.</summary>
    /// <param name="state">The cluster state (nodes and placed pods).</param>
    /// <param name="pods">The pod objects behind the placements.</param>
    /// <param name="evictor">The evictor.</param>
    /// <param name="events">The event recorder.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="fallbackMix">The typical-task mix used while the cluster has too few recent pods (e.g. the extender's built-in mix); null plans nothing then.</param>
    /// <param name="readiness">Whether the cluster state is synced; cycles plan nothing until it is. Null trusts the state.</param>
    public Rebalancer(
        ClusterState state,
        IRebalancerPodSource pods,
        RebalanceEvictor evictor,
        RebalanceEventRecorder events,
        RebalancerMetrics metrics,
        RebalancerOptions options,
        TimeProvider timeProvider,
        ILogger<Rebalancer> logger,
        FragmentationModel? fallbackMix = null,
        IClusterStateReadiness? readiness = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(evictor);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _state = state;
        _pods = pods;
        _evictor = evictor;
        _events = events;
        _metrics = metrics;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _fallbackMix = fallbackMix;
        _readiness = readiness;
        _planner = new RebalancePlanner(options);
    }

    /// <summary>Gets what the rebalancer leaves alone for now.</summary>
    public RebalanceCooldowns Cooldowns { get; } = new();

    /// <summary>Runs one cycle: plan, then evict (or report) each move.</summary>
    /// <param name="cancellationToken">Stops the cycle (leadership lost, shutdown).</param>
    /// <returns>The plan and each move's outcome.</returns>
    public async Task<RebalanceCycleResult> RunCycleAsync(CancellationToken cancellationToken)
    {
        _metrics.CycleRan();
        var now = _time.GetUtcNow();
        Cooldowns.Prune(now);
        if (_readiness is { IsReady: false })
        {
            return Skip("the cluster state is not synced: " + _readiness.Reason);
        }

        if (!_pods.HasSynced)
        {
            return Skip("the pod cache has not synced yet");
        }

        var (nodes, placements) = Snapshot();
        var model = Mix(out var recent);
        if (model is null)
        {
            return Skip(string.Create(CultureInfo.InvariantCulture, $"the cluster state holds {recent} recent pods, fewer than {_options.MinRecentPodsForMix}, and no fallback typical-task mix is configured"));
        }

        var candidates = Candidates(placements, now);
        var plan = _planner.Plan(nodes, candidates, model);
        _metrics.Planned(plan.FragmentationBefore, plan.Moves.Count);
        LogPlanned(_logger, plan.Moves.Count, plan.FragmentationBefore, plan.FragmentationAfter, plan.FragmentedNodes, plan.Candidates, _options.DryRun);

        var outcomes = new List<RebalanceMoveOutcome>(plan.Moves.Count);
        foreach (var move in plan.Moves)
        {
            cancellationToken.ThrowIfCancellationRequested();
            outcomes.Add(await ExecuteAsync(move, cancellationToken).ConfigureAwait(false));
        }

        return new RebalanceCycleResult(plan, outcomes);
    }

    private RebalanceCycleResult Skip(string reason)
    {
        LogCycleSkipped(_logger, reason);
        return new RebalanceCycleResult(RebalancePlan.Empty, [], reason);
    }

    private async Task<RebalanceMoveOutcome> ExecuteAsync(RebalanceMove move, CancellationToken cancellationToken)
    {
        var pod = move.Pod;
        var c = CultureInfo.InvariantCulture;
        var why = string.Create(c, $"to lower GPU fragmentation by {move.Reduction:0} milli-GPU (replacement expected on node {move.TargetNode}, FGD score {move.TargetScore} vs {move.SourceScore} here)");
        if (_options.DryRun)
        {
            LogDryRun(_logger, pod.Key, move.SourceNode, move.TargetNode, move.Reduction);
            _metrics.Eviction(RebalancerMetrics.ResultDryRun);
            var note = $"Dry run: would evict from node {move.SourceNode} {why}";
            await _events.RecordAsync(pod, move.SourceNode, "Normal", RebalanceEventRecorder.ReasonRebalance, "DryRun", note, cancellationToken).ConfigureAwait(false);
            return new RebalanceMoveOutcome(move, MoveResult.DryRun, note);
        }

        var outcome = await _evictor.EvictAsync(pod, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        switch (outcome.Result)
        {
            case MoveResult.Evicted:
                {
                    Cooldowns.Moved(move, now, _options.PodCooldown, _options.NodeCooldown);
                    _metrics.Eviction(RebalancerMetrics.ResultEvicted);
                    LogEvicted(_logger, pod.Key, move.SourceNode, move.TargetNode, move.Reduction);
                    var note = $"Evicted from node {move.SourceNode} {why}";
                    await _events.RecordAsync(pod, move.SourceNode, "Normal", RebalanceEventRecorder.ReasonRebalance, "Evict", note, cancellationToken).ConfigureAwait(false);
                    return new RebalanceMoveOutcome(move, MoveResult.Evicted, note);
                }

            case MoveResult.PdbBlocked:
                {
                    Cooldowns.Blocked(pod.Uid, now, outcome.RetryAfter);
                    _metrics.Eviction(RebalancerMetrics.ResultPdbBlocked);
                    var retry = outcome.RetryAfter is { } r ? string.Create(c, $"after {r.TotalSeconds:0}s") : "next cycle";
                    LogPdbBlocked(_logger, pod.Key, retry, outcome.Message);
                    var note = $"Not evicted from node {move.SourceNode}: a PodDisruptionBudget forbids it now (retrying {retry}). {outcome.Message}";
                    await _events.RecordAsync(pod, move.SourceNode, "Normal", RebalanceEventRecorder.ReasonRebalanceSkipped, "Evict", note, cancellationToken).ConfigureAwait(false);
                    return new RebalanceMoveOutcome(move, MoveResult.PdbBlocked, outcome.Message);
                }

            case MoveResult.Gone:
                LogPodGone(_logger, pod.Key, outcome.StatusCode ?? 0);
                return new RebalanceMoveOutcome(move, MoveResult.Gone, outcome.Message);

            default:
                {
                    Cooldowns.Blocked(pod.Uid, now, _options.FailedPodBackoff);
                    _metrics.Eviction(RebalancerMetrics.ResultError);
                    LogEvictionFailed(_logger, pod.Key, outcome.StatusCode ?? 0, outcome.Message);
                    var code = outcome.StatusCode is { } s ? string.Create(c, $"HTTP {s}") : "no response";
                    var note = $"Not evicted from node {move.SourceNode}: the eviction failed ({code}). {outcome.Message}";
                    await _events.RecordAsync(pod, move.SourceNode, "Warning", RebalanceEventRecorder.ReasonRebalanceSkipped, "Evict", note, cancellationToken).ConfigureAwait(false);
                    return new RebalanceMoveOutcome(move, MoveResult.Error, outcome.Message);
                }
        }
    }

    // Nodes and placements read as one consistent view when the state holds still long enough (else the last read:
    // the planner only predicts, and the next cycle reads again).
    private (NodeState[] Nodes, IReadOnlyList<PlacedPod> Placements) Snapshot()
    {
        NodeState[] nodes;
        IReadOnlyList<PlacedPod> placements;
        var attempt = 0;
        while (true)
        {
            var version = _state.Version;
            nodes = _state.Nodes.ToArray();
            placements = _state.Pods();
            if (_state.Version == version || ++attempt >= SnapshotAttempts)
            {
                return (nodes, placements);
            }
        }
    }

    private FragmentationModel? Mix(out int recentCount)
    {
        var recent = _state.RecentPods();
        recentCount = recent.Count;
        return recent.Count >= _options.MinRecentPodsForMix
            ? FragmentationModel.FromPods(recent, _options.MixCoverage)
            : _fallbackMix;
    }

    private List<RebalanceCandidate> Candidates(IReadOnlyList<PlacedPod> placements, DateTimeOffset now)
    {
        var candidates = new List<RebalanceCandidate>();
        foreach (var placed in placements)
        {
            if (placed.Phase != PlacementPhase.Bound)
            {
                continue;
            }

            // The cached pod must be the placed one (same UID, same node): anything else is a stale view.
            var pod = _pods.Get(placed.Pod.Namespace, placed.Pod.Name);
            if (pod is null
                || !string.Equals(pod.Metadata?.Uid, placed.Pod.Uid, StringComparison.Ordinal)
                || !string.Equals(pod.Spec?.NodeName, placed.NodeName, StringComparison.Ordinal)
                || PodEligibility.Evaluate(pod, _options) != RebalanceExclusion.None)
            {
                continue;
            }

            var candidate = new RebalanceCandidate(placed, PodEligibility.Controller(pod)?.Uid);
            if (!Cooldowns.IsCoolingDown(candidate, now))
            {
                candidates.Add(candidate);
            }
        }

        return candidates;
    }
}
