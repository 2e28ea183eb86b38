using k8s.Models;
using Lepton.Operator.Rebalancing;

namespace Lepton.Operator.Tests.Rebalancing;

/// <summary>A pod source over fixed pod objects.</summary>
public sealed class DictionaryPodSource(IEnumerable<V1Pod> pods) : IRebalancerPodSource
{
    private readonly Dictionary<string, V1Pod> _pods = pods.ToDictionary(p => p.Metadata.NamespaceProperty + "/" + p.Metadata.Name);

    public bool HasSynced { get; set; } = true;

    public V1Pod? Get(string @namespace, string name) => _pods.GetValueOrDefault(@namespace + "/" + name);
}
