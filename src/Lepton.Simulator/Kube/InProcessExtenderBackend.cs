using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;

namespace Lepton.Simulator.Kube;

/// <summary>
/// Lepton's extender verbs in process: the scheduling core's <see cref="CandidateScoring"/> engine
/// answered through <see cref="ExtenderVerbs"/>, the very calls <c>lepton serve</c>'s HTTP verbs make
/// once they have read the request's pod. Nothing here filters, scores, maps or binds by itself.
/// </summary>
/// <param name="engine">The engine (cluster state, policy, typical mix, score mapping, seed).</param>
public sealed class InProcessExtenderBackend(CandidateScoring engine) : IExtenderBackend
{
    private readonly CandidateScoring _engine = engine ?? throw new ArgumentNullException(nameof(engine));

    /// <summary>The engine.</summary>
    public CandidateScoring Engine => _engine;

    /// <inheritdoc />
    public ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        using var candidates = _engine.Resolve(nodeNames);
        return ValueTask.FromResult(ExtenderVerbs.Filter(_engine, pod, nodeNames, candidates));
    }

    /// <inheritdoc />
    public ValueTask<HostScores> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        using var candidates = _engine.Resolve(nodeNames);
        return ValueTask.FromResult(ExtenderVerbs.Prioritize(_engine, pod, nodeNames, candidates));
    }

    /// <inheritdoc />
    public ValueTask<ExtenderBindingResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ExtenderVerbs.Assume(_engine, pod, nodeName, out _));
}
