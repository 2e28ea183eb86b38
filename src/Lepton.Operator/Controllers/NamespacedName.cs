using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers;

/// <summary>The key of a Kubernetes object: namespace (null for cluster-scoped objects) and name.</summary>
/// <param name="Namespace">The namespace, or null for a cluster-scoped object.</param>
/// <param name="Name">The object name.</param>
public readonly record struct NamespacedName(string? Namespace, string Name)
{
    /// <summary>Returns the key of <paramref name="obj"/>.</summary>
    /// <param name="obj">A Kubernetes object with metadata.</param>
    /// <returns>Its namespace and name.</returns>
    public static NamespacedName Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj.Metadata ?? throw new ArgumentException("The object has no metadata.", nameof(obj));
        return new NamespacedName(string.IsNullOrEmpty(metadata.NamespaceProperty) ? null : metadata.NamespaceProperty, metadata.Name);
    }

    /// <summary>Parses <c>namespace/name</c> or <c>name</c>.</summary>
    /// <param name="key">The text form.</param>
    /// <returns>The key.</returns>
    public static NamespacedName Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new NamespacedName(null, key) : new NamespacedName(key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Returns <c>namespace/name</c>, or <c>name</c> for a cluster-scoped object (client-go's key format).</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
