using System.Buffers;
using System.Text.Json;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// kube-scheduler's extender verbs over the <see cref="CandidateScoring"/> engine, for a pod
/// already mapped to its demand, answered in the extender's wire types. <c>lepton serve</c>'s HTTP
/// verbs (after parsing the request's pod) and the simulator's kube mode (in process) both call
/// these, so the two cannot answer differently.
/// </summary>
public static class ExtenderVerbs
{
    /// <summary>
    /// The filter verb: the candidates the pod fits card by card pass; the others go to
    /// <c>FailedNodes</c>, or <c>FailedAndUnresolvableNodes</c> when no preemption can help, each
    /// with a readable reason written only when the answer is serialised or read. Only names from
    /// the request appear in the answer.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="names">The candidate names, in request order.</param>
    /// <param name="candidates">The same candidates, resolved (<see cref="CandidateScoring.Resolve"/>).</param>
    /// <param name="nodes">The request's full Node objects when it sent <c>Nodes</c> rather than <c>NodeNames</c> (passing items are echoed back), else null.</param>
    /// <param name="cancellationToken">The request's deadline (<see cref="CandidateScoring.Fit"/>).</param>
    /// <returns>The answer.</returns>
    public static ExtenderFilterResult Filter(CandidateScoring engine, PodDemand pod, IReadOnlyList<string> names, CandidateSet candidates, RawNodeList? nodes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(names);
        var nodeItems = nodes?.Items;
        List<string>? passing = null;
        List<JsonElement>? passingItems = null;
        var n = names.Count;
        var states = ArrayPool<NodeState?>.Shared.Rent(Math.Max(n, 1));
        var codes = ArrayPool<FitCode>.Shared.Rent(Math.Max(n, 1));
        try
        {
            engine.Fit(pod, candidates, states, codes, cancellationToken);

            // Count first, so that each failure map is allocated at its size.
            int failing = 0, unresolving = 0;
            for (var i = 0; i < n; i++)
            {
                if (states[i] is null)
                {
                    failing++;
                }
                else if (codes[i] != FitCode.Fits && FitChecker.IsUnresolvable(codes[i]))
                {
                    unresolving++;
                }
                else if (codes[i] != FitCode.Fits)
                {
                    failing++;
                }
            }

            var failed = new FailedNodeMap(pod, candidates.Table, failing);
            var unresolvable = new FailedNodeMap(pod, candidates.Table, unresolving);
            for (var i = 0; i < n; i++)
            {
                var name = names[i];
                if (states[i] is not { } node)
                {
                    failed.AddUnknown(name);
                    continue;
                }

                var code = codes[i];
                if (code == FitCode.Fits)
                {
                    if (nodeItems is null)
                    {
                        (passing ??= new List<string>(n - i)).Add(name);
                    }
                    else
                    {
                        (passingItems ??= []).Add(nodeItems[i]);
                    }

                    continue;
                }

                (FitChecker.IsUnresolvable(code) ? unresolvable : failed).Add(name, code, node, candidates.Slots[i]);
            }

            return new ExtenderFilterResult
            {
                NodeNames = passing,
                Nodes = passingItems is null ? null : new RawNodeList(passingItems, nodes!.Metadata),
                FailedNodes = failed,
                FailedAndUnresolvableNodes = unresolvable,
                Error = string.Empty,
            };
        }
        finally
        {
            Array.Clear(states, 0, Math.Min(n, states.Length));
            ArrayPool<NodeState?>.Shared.Return(states);
            ArrayPool<FitCode>.Shared.Return(codes);
        }
    }

    /// <summary>
    /// The prioritize verb: one score 0..10 per candidate, in request order
    /// (<see cref="CandidateScoring.Score"/>). A scorer's exception propagates.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="names">The candidate names, in request order.</param>
    /// <param name="candidates">The same candidates, resolved.</param>
    /// <returns>The scores (with the parser's slots when they are not pooled, so the writer copies the names' bytes from the node table).</returns>
    /// <param name="cancellationToken">The request's deadline (<see cref="CandidateScoring.Score"/>).</param>
    public static HostScores Prioritize(CandidateScoring engine, PodDemand pod, IReadOnlyList<string> names, CandidateSet candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(names);
        var result = new HostScores(names, new long[names.Count]);
        if (!candidates.Pooled)
        {
            result = result.WithSlots(candidates.Table, candidates.Slots);
        }

        engine.Score(pod, candidates, result.Scores, cancellationToken);
        return result;
    }

    /// <summary>
    /// The state half of the bind verb: assumes the placement (fit re-checked, cards chosen by the
    /// policy). Making the binding real (the API server's Binding) is the caller's.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node kube-scheduler chose.</param>
    /// <param name="outcome">The assumption (its placement carries the cards).</param>
    /// <returns>The answer: <c>Error</c> empty when the placement was assumed.</returns>
    public static ExtenderBindingResult Assume(CandidateScoring engine, PodDemand pod, string nodeName, out AssumeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(engine);
        outcome = engine.Assume(pod, nodeName);
        return outcome.Succeeded ? new ExtenderBindingResult() : new ExtenderBindingResult { Error = outcome.Error };
    }
}
