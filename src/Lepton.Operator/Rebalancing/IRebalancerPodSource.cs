using k8s.Models;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Where the rebalancer reads the pod objects behind the cluster state's placements (owner references,
/// annotations, priority, phase): the operator's pod informer cache in production.
/// </summary>
/// <example>
/// <code>
/// services.AddSingleton&lt;IRebalancerPodSource&gt;(new MyPodSource());   // before AddLeptonRebalancer()
/// </code>
/// </example>
public interface IRebalancerPodSource
{
    /// <summary>Gets a value indicating whether the source holds the cluster's pods (the first LIST was applied).</summary>
    bool HasSynced { get; }

    /// <summary>Returns the pod <paramref name="namespace"/>/<paramref name="name"/>, or null. The object is shared: never mutate it.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <returns>The pod.</returns>
    V1Pod? Get(string @namespace, string name);
}
