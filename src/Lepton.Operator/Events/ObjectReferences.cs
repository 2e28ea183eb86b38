using k8s.Models;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Events;

/// <summary>The object references Events point at (<c>regarding</c>, <c>related</c>), with the UID <c>kubectl describe</c> selects on.</summary>
public static class ObjectReferences
{
    /// <summary>A reference to a LeptonJob.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The reference.</returns>
    public static V1ObjectReference For(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new V1ObjectReference
        {
            ApiVersion = V1Alpha1LeptonJob.KubeGroupVersion,
            Kind = V1Alpha1LeptonJob.KubeKind,
            Name = job.Metadata.Name,
            NamespaceProperty = job.Metadata.NamespaceProperty,
            Uid = job.Metadata.Uid,
        };
    }

    /// <summary>A reference to a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The reference.</returns>
    public static V1ObjectReference For(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid };
    }

    /// <summary>A reference to a node (an event's <c>related</c> object).</summary>
    /// <param name="name">The node name.</param>
    /// <returns>The reference.</returns>
    public static V1ObjectReference Node(string name) => new() { ApiVersion = "v1", Kind = "Node", Name = name };
}
