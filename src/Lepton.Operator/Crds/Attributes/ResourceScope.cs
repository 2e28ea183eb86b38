namespace Lepton.Operator.Crds.Attributes;

/// <summary>Whether a custom resource lives in a namespace or in the whole cluster.</summary>
public enum ResourceScope
{
    /// <summary>The resource is namespaced (<c>scope: Namespaced</c>).</summary>
    Namespaced,

    /// <summary>The resource is cluster-wide (<c>scope: Cluster</c>).</summary>
    Cluster,
}
