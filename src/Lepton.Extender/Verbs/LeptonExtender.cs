using System.Text.Json;
using Lepton.Extender.Http;
using Lepton.Extender.Metrics;
using Lepton.Extender.Pods;
using Lepton.Kubernetes;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Binding;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Serving;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Verbs;

/// <summary>
/// The four verbs as <c>lepton serve</c> answers them, on typed wire objects (the HTTP layer
/// parses and writes them): each reads the request's pod, then calls the scheduling core's
/// <see cref="CandidateScoring"/> engine through <see cref="ExtenderVerbs"/> (the same calls the
/// simulator's kube mode makes); bind makes an assumed placement real through the
/// <see cref="IPodBinder"/>; preempt narrows victims. Metrics, logs and the fallbacks of
/// DECISIONS.md 6 live here. Thread-safe.
/// </summary>
public sealed partial class LeptonExtender
{
    private readonly CandidateScoring _engine;
    private readonly PodReader _pods;
    private readonly IPodLookup _podLookup;
    private readonly IPodBinder _binder;
    private readonly ExtenderMetrics _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates the extender.</summary>
    /// <param name="engine">The scheduling core's candidate engine (state, policy, mix, mapping, seed).</param>
    /// <param name="pods">Reads request pods.</param>
    /// <param name="podLookup">The cluster's pods (informer cache or state file): what bind binds.</param>
    /// <param name="binder">Makes bindings real.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="logger">The logger.</param>
    public LeptonExtender(
        CandidateScoring engine,
        PodReader pods,
        IPodLookup podLookup,
        IPodBinder binder,
        ExtenderMetrics metrics,
        ILogger<LeptonExtender> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(podLookup);
        ArgumentNullException.ThrowIfNull(binder);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _engine = engine;
        _pods = pods;
        _podLookup = podLookup;
        _binder = binder;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The policy prioritize scores with.</summary>
    public string PolicyName => _engine.Scorer.Name;

    /// <summary>The cluster state the verbs read (the request parser resolves node names against its table).</summary>
    internal ClusterState State => _engine.State;

    /// <summary>How prioritize maps the policy's scores to 0..10.</summary>
    public ScoreMapping ScoreMapping => _engine.Mapping;

    /// <summary>
    /// Filters the candidate nodes (<see cref="ExtenderVerbs.Filter"/>): those the pod fits card by
    /// card pass; the others go to <c>FailedNodes</c>, or <c>FailedAndUnresolvableNodes</c> when no
    /// preemption can help, with a readable reason. Only names from the request appear in the answer.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <param name="cancellationToken">The request's deadline: the fit pass stops at it.</param>
    /// <returns>The answer (an <c>Error</c> when the pod cannot be mapped).</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    /// <exception cref="OperationCanceledException">The deadline passed during the fit pass.</exception>
    public ExtenderFilterResult Filter(ExtenderArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = CandidateNames(args);
        _metrics.NodesEvaluated(ExtenderVerb.Filter, names.Count);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "filter", JsonErrorText.Bound(e.Message));
            return new ExtenderFilterResult { Error = JsonErrorText.Bound(e.Message) };
        }

        using var candidates = Resolve(args, names);
        return ExtenderVerbs.Filter(_engine, pod, names, candidates, args.NodeNames is null ? args.Nodes : null, cancellationToken);
    }

    /// <summary>
    /// Scores the candidate nodes 0..10 (<see cref="CandidateScoring.Score"/>: the configured policy
    /// over the nodes the pod fits, mapped by <see cref="ScoreMapping"/>); unknown and unfit nodes
    /// score 0, and on any trouble every node scores 0 (DECISIONS.md 6).
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>One entry per requested node, in request order.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    public List<HostPriority> Prioritize(ExtenderArgs args)
    {
        var scores = PrioritizeScores(args);
        var result = new List<HostPriority>(scores.Count);
        for (var i = 0; i < scores.Count; i++)
        {
            result.Add(new HostPriority { Host = scores.Hosts[i], Score = scores.Scores[i] });
        }

        return result;
    }

    /// <summary>
    /// <see cref="Prioritize"/>'s answer as two parallel arrays (no object per node): what the HTTP
    /// layer writes.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <param name="cancellationToken">The request's deadline: the fit and score passes stop at it.</param>
    /// <returns>One score per requested node, in request order.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    /// <exception cref="OperationCanceledException">The deadline passed (the caller answers its degraded scores).</exception>
    public HostScores PrioritizeScores(ExtenderArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = CandidateNames(args);
        _metrics.NodesEvaluated(ExtenderVerb.Prioritize, names.Count);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "prioritize", JsonErrorText.Bound(e.Message));
            _metrics.ScoringFallback("pod_unmappable");
            return new HostScores(names, new long[names.Count]);
        }

        using var candidates = Resolve(args, names);
        try
        {
            return ExtenderVerbs.Prioritize(_engine, pod, names, candidates, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogScoringFailed(_logger, _engine.Scorer.Name, pod.Key, e);
            _metrics.ScoringFallback("scorer_error");
            return new HostScores(names, new long[names.Count]);
        }
    }

    /// <summary>
    /// Binds a pod as the informer cache (or the state file) knows it, never as an earlier request
    /// carried it (DECISIONS.md 19: filter may have reached another replica, and kube-scheduler
    /// skips prioritize when one node passes): assumes the placement in the cluster state (<see cref="ExtenderVerbs.Assume"/>: fit re-checked atomically, cards chosen by
    /// the policy's rule), then asks the binder to make it real, undoing the assumption if that is
    /// refused. When the binder cannot tell whether the binding landed (its call timed out or was cut
    /// off at the request's deadline, <see cref="IsOutcomeUnknown"/>), the answer is <c>Error</c> but
    /// the assumption is kept until the informer shows what happened (DECISIONS.md 8: confirmed here
    /// or elsewhere, deleted, or forgotten when <c>AssumeTimeout</c> passes unconfirmed).
    /// </summary>
    /// <param name="args">The request.</param>
    /// <param name="cancellationToken">The request's deadline.</param>
    /// <returns>The answer; <c>Error</c> is empty on success.</returns>
    public async ValueTask<ExtenderBindingResult> BindAsync(ExtenderBindingArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var who = $"{args.PodNamespace}/{args.PodName}";
        if (string.IsNullOrEmpty(args.PodUID) || string.IsNullOrEmpty(args.Node))
        {
            return new ExtenderBindingResult { Error = $"bind of pod {who}: PodUID and Node are required" };
        }

        if (string.IsNullOrEmpty(args.PodNamespace) || string.IsNullOrEmpty(args.PodName))
        {
            return new ExtenderBindingResult { Error = $"bind of pod {who}: PodNamespace and PodName are required" };
        }

        if (!_podLookup.TryGetPod(args.PodNamespace, args.PodName, args.PodUID, out var pod, out var problem))
        {
            return new ExtenderBindingResult { Error = $"bind of pod {who} (uid {args.PodUID}): {problem}" };
        }

        var existed = _engine.State.TryGetPod(pod.Uid, out _);
        var assumed = ExtenderVerbs.Assume(_engine, pod, args.Node, out var outcome);
        if (!outcome.Succeeded)
        {
            return assumed;
        }

        var binding = new PodBindingRequest(
            pod.Namespace,
            pod.Name,
            pod.Uid,
            args.Node,
            outcome.Placement!.Cards);
        try
        {
            await _binder.BindAsync(binding, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOutcomeUnknown(e, cancellationToken))
        {
            // The binding may have landed: keep the assumption (the capacity stays taken) until the
            // informer confirms the pod here or elsewhere, or deletes it, or the assumption expires
            // unconfirmed (ClusterStateOptions.AssumeTimeout). Forgetting it now could let the next
            // filter hand the same cards to another pod.
            LogBindOutcomeUnknown(_logger, who, args.Node, e.GetType().Name);
            return new ExtenderBindingResult { Error = $"bind of pod {who} to node {args.Node}: outcome unknown ({e.GetType().Name}); the placement stays assumed until the cluster shows it" };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!existed)
            {
                _engine.State.Remove(pod.Uid);
            }

            LogBindFailed(_logger, who, args.Node, e);
            return new ExtenderBindingResult { Error = $"bind of pod {who} to node {args.Node} failed: {e.Message}" };
        }

        LogBound(_logger, who, args.Node, string.Join(',', binding.Cards));
        return assumed;
    }

    /// <summary>
    /// Whether a binder's exception leaves the binding's outcome unknown (it may have landed): the
    /// binder says so (<see cref="BindingOutcomeUnknownException"/>), the request's deadline cut the
    /// call off, or the call timed out or failed in transport. A refusal (a 4xx from the API server,
    /// <c>PodBindingException</c>) is known not to have bound.
    /// </summary>
    /// <param name="exception">What the binder threw.</param>
    /// <param name="cancellationToken">The request's deadline.</param>
    /// <returns>True when the assumption must be kept.</returns>
    internal static bool IsOutcomeUnknown(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        BindingOutcomeUnknownException => true,
        OperationCanceledException => true,
        TimeoutException or HttpRequestException or IOException => true,
        _ => cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException,
    };

    /// <summary>
    /// Narrows each candidate node's victims to the set that makes the pod fit card by card
    /// (<see cref="VictimSelector"/>); drops nodes where the offered victims cannot make room or
    /// that Lepton does not know. Never adds a node or a victim.
    /// <para>
    /// <b>Never splits a gang.</b> A gang member (<see cref="PodDemand.Gang"/>) is never accepted
    /// as a victim: evicting one member stops the whole gang, and the extender may only narrow,
    /// so it cannot add the members on other nodes. The member is dropped from the offered set,
    /// and the node with it when the pod does not fit without it. Gangs are preempted only whole,
    /// by the operator's gang admission (dry-run evictions of every member first). Victims Lepton
    /// does not account are passed through as kube-scheduler offered them.
    /// </para>
    /// </summary>
    /// <param name="args">The request.</param>
    /// <param name="cancellationToken">The request's deadline, looked at before each node.</param>
    /// <returns>The answer, always as MetaVictims.</returns>
    /// <exception cref="ExtenderRequestException">The request is malformed (HTTP 400).</exception>
    /// <exception cref="OperationCanceledException">The deadline passed (the caller answers the candidates unchanged).</exception>
    public ExtenderPreemptionResult Preempt(ExtenderPreemptionArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var candidates = Unchanged(args);
        _metrics.NodesEvaluated(ExtenderVerb.Preempt, candidates.Count);
        PodDemand pod;
        try
        {
            pod = _pods.Read(args.Pod);
        }
        catch (KubeObjectException e)
        {
            LogUnmappablePod(_logger, "preempt", JsonErrorText.Bound(e.Message));
            return new ExtenderPreemptionResult { NodeNameToMetaVictims = candidates };
        }

        var result = new Dictionary<string, MetaVictims>(StringComparer.Ordinal);
        foreach (var (nodeName, offered) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (offered.Pods is not { Count: > 0 } offeredPods || !_engine.State.TryGetNode(nodeName, out var node))
            {
                continue;
            }

            var known = new List<PlacedPod>(offeredPods.Count);
            var gangMembers = 0;
            foreach (var meta in offeredPods)
            {
                if (meta.UID is { } uid && _engine.State.TryGetPod(uid, out var placed))
                {
                    if (placed.Pod.Gang is not null)
                    {
                        gangMembers++;
                    }
                    else if (placed.NodeName == nodeName)
                    {
                        known.Add(placed);
                    }
                }
            }

            var chosen = VictimSelector.Select(pod, node, known);
            if (chosen is null)
            {
                continue;
            }

            if (chosen.Count == 0)
            {
                // Lepton has no card-level objection: keep the dry run's own choice, less any gang member.
                result[nodeName] = gangMembers == 0 ? offered : WithoutGangMembers(offered, offeredPods);
                continue;
            }

            var kept = new List<MetaPod>(chosen.Count);
            foreach (var victim in chosen)
            {
                kept.Add(new MetaPod { UID = victim.Pod.Uid });
            }

            result[nodeName] = new MetaVictims { Pods = kept, NumPDBViolations = Math.Min(offered.NumPDBViolations, kept.Count) };
        }

        return new ExtenderPreemptionResult { NodeNameToMetaVictims = result };
    }

    private MetaVictims WithoutGangMembers(MetaVictims offered, IList<MetaPod> offeredPods)
    {
        var kept = new List<MetaPod>(offeredPods.Count);
        foreach (var meta in offeredPods)
        {
            if (meta.UID is not { } uid || !_engine.State.TryGetPod(uid, out var placed) || placed.Pod.Gang is null)
            {
                kept.Add(meta);
            }
        }

        return new MetaVictims { Pods = kept, NumPDBViolations = Math.Min(offered.NumPDBViolations, kept.Count) };
    }

    /// <summary>
    /// The candidate map of a preempt request as MetaVictims, unchanged (UIDs read from full pods
    /// in Victims mode): the safe answer on internal trouble.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>Node name → victims.</returns>
    public static Dictionary<string, MetaVictims> Unchanged(ExtenderPreemptionArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new Dictionary<string, MetaVictims>(StringComparer.Ordinal);
        if (args.NodeNameToMetaVictims is { } meta)
        {
            foreach (var (node, victims) in meta)
            {
                if (victims is not null)
                {
                    result[node] = victims;
                }
            }
        }
        else if (args.NodeNameToVictims is { } full)
        {
            foreach (var (node, victims) in full)
            {
                if (victims is null)
                {
                    continue;
                }

                var pods = new List<MetaPod>(victims.Pods?.Count ?? 0);
                foreach (var p in victims.Pods ?? [])
                {
                    if (p.ValueKind == JsonValueKind.Object && PodReader.UidOf(p) is { Length: > 0 } uid)
                    {
                        pods.Add(new MetaPod { UID = uid });
                    }
                }

                result[node] = new MetaVictims { Pods = pods, NumPDBViolations = victims.NumPDBViolations };
            }
        }

        return result;
    }

    /// <summary>
    /// The candidate node names of a filter or prioritize request, in request order: the
    /// <c>NodeNames</c> when present, else the names of the <c>Nodes</c> items.
    /// </summary>
    /// <param name="args">The request.</param>
    /// <returns>The names.</returns>
    /// <exception cref="ExtenderRequestException">A name is missing.</exception>
    public static IReadOnlyList<string> CandidateNames(ExtenderArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.NodeNames is { } names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] is null)
                {
                    throw new ExtenderRequestException($"NodeNames[{i}]: expected a string, not null");
                }
            }

            return names as IReadOnlyList<string> ?? [.. names];
        }

        if (args.Nodes is not { } nodes)
        {
            return [];
        }

        var items = nodes.Items;
        var result = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].TryGetProperty("metadata"u8, out var meta)
                || meta.ValueKind != JsonValueKind.Object
                || !meta.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String
                || name.GetString() is not { Length: > 0 } text)
            {
                throw new ExtenderRequestException($"Nodes.items[{i}].metadata.name: expected a non-empty string");
            }

            result[i] = text;
        }

        return result;
    }

    /// <summary>The request's candidates resolved against the node table (the parser's slots when its table is still the current one).</summary>
    private CandidateSet Resolve(ExtenderArgs args, IReadOnlyList<string> names) =>
        args.NodeNames is ResolvedNodeNames parsed ? _engine.Resolve(names, parsed.Table, parsed.Slots) : _engine.Resolve(names);
}
