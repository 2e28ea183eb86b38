using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers.Caching;

/// <summary>
/// Transforms applied to objects before they enter a cache, to keep it small: a realistic pod carries
/// 3-10 KB of <c>managedFields</c> and often a <c>last-applied-configuration</c> annotation that repeats the
/// whole spec, neither of which any reconciler or scorer reads.
/// </summary>
public static class CacheTransforms
{
    /// <summary>The annotation <c>kubectl apply</c> writes: a JSON copy of the applied object.</summary>
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The pod condition type that <see cref="SlimPodStatus"/> keeps.</summary>
    public const string PodScheduled = "PodScheduled";

    /// <summary>
    /// Returns a transform that makes equal strings and quantities of successive objects share one instance
    /// (a bounded pool of <paramref name="poolCapacity"/> entries, cleared when full). The transform keeps
    /// state: use one per informer, from one thread.
    /// </summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="poolCapacity">The most strings (and quantities) remembered.</param>
    /// <returns>The transform (it mutates and returns the object it is given).</returns>
    public static Func<T, T> Deduplicate<T>(int poolCapacity = 65_536)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(poolCapacity);
        return new ObjectDeduplicator(poolCapacity).Deduplicate;
    }

    /// <summary>
    /// Drops the parts of a pod that only the kubelet uses and no scheduler, scorer or reconciler reads:
    /// <c>spec.volumes</c> and, in every (init, ephemeral) container, <c>env</c>, <c>envFrom</c>,
    /// <c>command</c>, <c>args</c>, <c>volumeMounts</c>, <c>volumeDevices</c>, probes and <c>lifecycle</c>.
    /// Kept: metadata, container names, images, ports, resources and restart policies, and all other spec
    /// and status fields (node name, gates, affinity, tolerations, priority, phase, conditions...).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The same pod.</returns>
    public static V1Pod SlimPod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec is not { } spec)
        {
            return pod;
        }

        spec.Volumes = null;
        foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
        {
            container.Env = null;
            container.EnvFrom = null;
            container.Command = null;
            container.Args = null;
            container.VolumeMounts = null;
            container.VolumeDevices = null;
            container.LivenessProbe = null;
            container.ReadinessProbe = null;
            container.StartupProbe = null;
            container.Lifecycle = null;
        }

        foreach (var container in spec.EphemeralContainers ?? [])
        {
            container.Env = null;
            container.EnvFrom = null;
            container.Command = null;
            container.Args = null;
            container.VolumeMounts = null;
            container.VolumeDevices = null;
        }

        return pod;
    }

    /// <summary>
    /// Drops the parts of a pod's status that only the kubelet and <c>kubectl</c> read: container statuses (init,
    /// app, ephemeral), pod and host IPs, <c>startTime</c>, allocated resources, resize and resource-claim
    /// statuses, and every condition but <c>PodScheduled</c>; and from the spec the security contexts (pod and
    /// containers), image pull secrets, readiness gates, DNS config and host aliases. Kept in the status:
    /// <c>phase</c>, <c>reason</c>, <c>message</c>, <c>qosClass</c>, <c>nominatedNodeName</c>,
    /// <c>observedGeneration</c> and the <c>PodScheduled</c> condition (the job status reads an unschedulable
    /// one), which is all the mapper, reconcilers, rebalancer and gang planner read.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The same pod.</returns>
    public static V1Pod SlimPodStatus(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec is { } spec)
        {
            spec.SecurityContext = null;
            spec.ImagePullSecrets = null;
            spec.ReadinessGates = null;
            spec.DnsConfig = null;
            spec.HostAliases = null;
            foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
            {
                container.SecurityContext = null;
            }

            foreach (var container in spec.EphemeralContainers ?? [])
            {
                container.SecurityContext = null;
            }
        }

        if (pod.Status is { } status)
        {
            status.ContainerStatuses = null;
            status.InitContainerStatuses = null;
            status.EphemeralContainerStatuses = null;
            status.HostIP = null;
            status.HostIPs = null;
            status.PodIP = null;
            status.PodIPs = null;
            status.StartTime = null;
            status.AllocatedResources = null;
            status.Resources = null;
            status.Resize = null;
            status.ResourceClaimStatuses = null;
            status.ExtendedResourceClaimStatus = null;
            status.NodeAllocatableResourceClaimStatuses = null;
            if (status.Conditions is { Count: > 0 } conditions)
            {
                var scheduled = conditions.FirstOrDefault(c => c.Type == PodScheduled);
                status.Conditions = scheduled is null ? null : [scheduled];
            }
        }

        return pod;
    }

    /// <summary>Drops <c>status.images</c> of a node (up to 50 image names per node that only kube-scheduler's ImageLocality reads).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The same node.</returns>
    public static V1Node StripNodeImages(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Status is { } status)
        {
            status.Images = null;
        }

        return node;
    }

    /// <summary>Returns a transform that drops <c>managedFields</c> (when asked) and the given annotations, in place.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="stripManagedFields">Whether to drop <c>metadata.managedFields</c>.</param>
    /// <param name="strippedAnnotations">Annotation keys to drop.</param>
    /// <returns>The transform (it mutates and returns the object it is given).</returns>
    public static Func<T, T> Strip<T>(bool stripManagedFields, IEnumerable<string> strippedAnnotations)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(strippedAnnotations);
        var annotations = strippedAnnotations.ToArray();
        return obj =>
        {
            if (obj.Metadata is { } metadata)
            {
                if (stripManagedFields)
                {
                    metadata.ManagedFields = null;
                }

                if (metadata.Annotations is { Count: > 0 } present)
                {
                    foreach (var key in annotations)
                    {
                        present.Remove(key);
                    }

                    if (present.Count == 0)
                    {
                        metadata.Annotations = null;
                    }
                }
            }

            return obj;
        };
    }
}
