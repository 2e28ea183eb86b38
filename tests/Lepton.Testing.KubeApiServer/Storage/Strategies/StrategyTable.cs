using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Storage.Strategies;

/// <summary>Chooses the strategy of each resource; everything not listed behaves like a plain resource.</summary>
internal sealed class StrategyTable(KubeApiTestServerOptions options)
{
    private readonly Dictionary<GroupResource, ResourceStrategy> _strategies = new()
    {
        [new("", "pods")] = new PodStrategy(options.SetSchedulingGatedCondition),
        [new("", "namespaces")] = new NamespaceStrategy(),
        [new("", "services")] = new ResourceStrategy(nameIsDnsLabel: true),
        [new("apiextensions.k8s.io", "customresourcedefinitions")] = new CustomResourceDefinitionStrategy(),
    };

    public ResourceStrategy For(GroupResource resource) => _strategies.GetValueOrDefault(resource, ResourceStrategy.Default);
}
