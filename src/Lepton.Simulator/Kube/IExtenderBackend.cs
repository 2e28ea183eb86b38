using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The scheduler-extender verbs kube-scheduler calls (<c>filterVerb</c>, <c>prioritizeVerb</c>,
/// <c>bindVerb</c>), as the <see cref="KubeSchedulerEmulator"/> sees them, answered in the
/// extender's wire types. The simulator plugs in <see cref="InProcessExtenderBackend"/> (the
/// scheduling core's engine through the same <see cref="ExtenderVerbs"/> that <c>lepton serve</c>
/// answers with); an HTTP-backed implementation can drive a running extender through the same seam.
/// </summary>
/// <example>
/// <code>
/// var engine = new CandidateScoring(state, ScorerRegistry.CreateDefault().Create("FGD"), new FixedTypicalMix(mix), ScoreMapping.StableRank, seed: 42, cores: 1);
/// var backend = new InProcessExtenderBackend(engine);
/// var scheduler = new KubeSchedulerEmulator(nodes, backend, new KubeSchedulerOptions { ExtenderWeight = 5 }, new Random(42));
/// var outcome = await scheduler.ScheduleAsync(pod, ct);
/// </code>
/// </example>
public interface IExtenderBackend
{
    /// <summary>The filter verb: which of the nodes (all feasible by kube-scheduler's own filters) the pod may go to.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeNames">Candidate nodes (<c>nodeCacheCapable: true</c>: names only).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The nodes that pass, a reason per failed node, or an error.</returns>
    ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken);

    /// <summary>The prioritize verb: a score 0..10 (<c>MaxExtenderPriority</c>) per node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeNames">Nodes that passed every filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Scores, one per host.</returns>
    ValueTask<HostScores> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken);

    /// <summary>The bind verb: the extender binds the pod (and accounts it at once).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node kube-scheduler chose.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An empty <c>Error</c> on success, else the error kube-scheduler would see.</returns>
    ValueTask<ExtenderBindingResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken);
}
