using k8s.Models;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Decides which pods the rebalancer may evict: only running pods whose controller recreates them elsewhere
/// (a LeptonJob, a ReplicaSet, a StatefulSet or a Job), never bare pods, DaemonSet pods, mirror (static) pods,
/// pods annotated <c>lepton.ai/no-rebalance: "true"</c>, <c>kube-system</c> pods (unless allowed) or pods above
/// the configured priority.
/// </summary>
public static class PodEligibility
{
    /// <summary>The annotation by which a pod opts out of rebalancing (value <c>"true"</c>).</summary>
    public const string NoRebalanceAnnotation = "lepton.ai/no-rebalance";

    /// <summary>The annotation the kubelet puts on the mirror pod of a static pod.</summary>
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    /// <summary>The namespace excluded unless <see cref="RebalancerOptions.IncludeKubeSystem"/> is set.</summary>
    public const string KubeSystem = "kube-system";

    /// <summary>Decides whether <paramref name="pod"/> may be moved.</summary>
    /// <param name="pod">The pod, as cached.</param>
    /// <param name="options">The options (namespace and priority rules).</param>
    /// <returns><see cref="RebalanceExclusion.None"/>, or the first reason it may not.</returns>
    public static RebalanceExclusion Evaluate(V1Pod pod, RebalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = pod.Metadata;
        if (metadata?.DeletionTimestamp is not null)
        {
            return RebalanceExclusion.Deleting;
        }

        if (!string.Equals(pod.Status?.Phase, "Running", StringComparison.Ordinal))
        {
            return RebalanceExclusion.NotRunning;
        }

        var annotations = metadata?.Annotations;
        var controller = metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if ((annotations?.ContainsKey(MirrorPodAnnotation) ?? false) || string.Equals(controller?.Kind, "Node", StringComparison.Ordinal))
        {
            return RebalanceExclusion.MirrorPod;
        }

        if (annotations is not null
            && annotations.TryGetValue(NoRebalanceAnnotation, out var optOut)
            && string.Equals(optOut?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return RebalanceExclusion.OptedOut;
        }

        if (!options.IncludeKubeSystem && string.Equals(metadata?.NamespaceProperty, KubeSystem, StringComparison.Ordinal))
        {
            return RebalanceExclusion.ProtectedNamespace;
        }

        if (controller is null)
        {
            return RebalanceExclusion.NoController;
        }

        var group = Group(controller.ApiVersion);
        switch (controller.Kind)
        {
            case "DaemonSet" when group == "apps":
                return RebalanceExclusion.DaemonSet;
            case "ReplicaSet" or "StatefulSet" when group == "apps":
            case "Job" when group == "batch":
            case Entities.V1Alpha1LeptonJob.KubeKind when group == Entities.V1Alpha1LeptonJob.KubeGroup:
                break;
            default:
                return RebalanceExclusion.UnsupportedController;
        }

        return (pod.Spec?.Priority ?? 0) > options.MaxPriority ? RebalanceExclusion.PriorityTooHigh : RebalanceExclusion.None;
    }

    /// <summary>The controller owner reference of <paramref name="pod"/> (<c>controller: true</c>), or null.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The reference.</returns>
    public static V1OwnerReference? Controller(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
    }

    private static string Group(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return string.Empty;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }
}
