using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;

namespace Lepton.Operator.Rebalancing;

/// <summary>An <see cref="IRebalancerPodSource"/> over the pod informer's cache.</summary>
/// <param name="cache">The pod cache.</param>
public sealed class ObjectCachePodSource(IObjectCache<V1Pod> cache) : IRebalancerPodSource
{
    private readonly IObjectCache<V1Pod> _cache = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <inheritdoc />
    public bool HasSynced => _cache.HasSynced;

    /// <inheritdoc />
    public V1Pod? Get(string @namespace, string name) => _cache.Get(new NamespacedName(@namespace, name));
}
