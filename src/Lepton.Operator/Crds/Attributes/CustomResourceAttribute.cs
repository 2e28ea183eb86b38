namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// Marks a class as the root of a CustomResourceDefinition and carries the names that
/// <see cref="k8s.Models.KubernetesEntityAttribute"/> does not (singular, short names, categories,
/// scope, subresources). Group, version, kind and plural come from <c>[KubernetesEntity]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CustomResourceAttribute : Attribute
{
    /// <summary>The singular resource name (<c>spec.names.singular</c>), lower case.</summary>
    public required string Singular { get; init; }

    /// <summary>Short names for kubectl (<c>spec.names.shortNames</c>), e.g. <c>lj</c>.</summary>
    public string[] ShortNames { get; init; } = [];

    /// <summary>Categories (<c>spec.names.categories</c>), so that <c>kubectl get CATEGORY</c> lists the resource.</summary>
    public string[] Categories { get; init; } = [];

    /// <summary>Namespaced or cluster-wide.</summary>
    public ResourceScope Scope { get; init; } = ResourceScope.Namespaced;

    /// <summary>Whether the <c>/status</c> subresource is enabled.</summary>
    public bool StatusSubresource { get; init; } = true;
}
