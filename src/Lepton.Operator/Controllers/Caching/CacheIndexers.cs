using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers.Caching;

/// <summary>Common cache indexes.</summary>
public static class CacheIndexers
{
    /// <summary>The built-in index by <c>metadata.namespace</c> (every cache has it).</summary>
    public const string Namespace = "namespace";

    /// <summary>The name of the <see cref="ByOwnerUid"/> index.</summary>
    public const string OwnerUid = "ownerUid";

    /// <summary>The name of the <see cref="ByPodNodeName"/> index.</summary>
    public const string PodNodeName = "spec.nodeName";

    /// <summary>Indexes an object by the UIDs of its owners (<c>metadata.ownerReferences[].uid</c>).</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The owner UIDs.</returns>
    public static IEnumerable<string> ByOwnerUid(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata?.OwnerReferences is { Count: > 0 } owners
            ? owners.Where(o => !string.IsNullOrEmpty(o.Uid)).Select(o => o.Uid)
            : [];
    }

    /// <summary>Indexes a pod by <c>spec.nodeName</c> (unbound pods are not indexed).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The node name, if bound.</returns>
    public static IEnumerable<string> ByPodNodeName(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return string.IsNullOrEmpty(pod.Spec?.NodeName) ? [] : [pod.Spec.NodeName];
    }
}
