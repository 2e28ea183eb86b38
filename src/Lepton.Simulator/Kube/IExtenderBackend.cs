using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The scheduler-extender verbs kube-scheduler calls (<c>filterVerb</c>, <c>prioritizeVerb</c>,
/// <c>bindVerb</c>), as the <see cref="KubeSchedulerEmulator"/> sees them. The simulator plugs in
/// <see cref="InProcessExtenderBackend"/> (the scheduling core directly); an HTTP-backed
/// implementation can drive a running extender through the same seam.
/// </summary>
/// <example>
/// <code>
/// var backend = new InProcessExtenderBackend(state, ScorerRegistry.CreateDefault().Create("FGD"), context);
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
    /// <returns>The nodes that pass, a reason per failed node where known, or an error.</returns>
    ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken);

    /// <summary>The prioritize verb: a score 0..10 (<c>MaxExtenderPriority</c>) per node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeNames">Nodes that passed every filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Scores, one per host.</returns>
    ValueTask<IReadOnlyList<HostPriority>> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken);

    /// <summary>The bind verb: the extender binds the pod (and accounts it at once).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="nodeName">The node kube-scheduler chose.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Success, or the error kube-scheduler would see.</returns>
    ValueTask<ExtenderBindResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken);
}
