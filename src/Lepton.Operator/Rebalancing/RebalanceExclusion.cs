namespace Lepton.Operator.Rebalancing;

/// <summary>Why a pod may not be moved by the rebalancer (<see cref="None"/> when it may).</summary>
public enum RebalanceExclusion
{
    /// <summary>The pod may be moved.</summary>
    None,

    /// <summary>The pod is not Running (Pending pods hold nothing; finished ones hold nothing either).</summary>
    NotRunning,

    /// <summary>The pod is already being deleted.</summary>
    Deleting,

    /// <summary>A mirror pod of a static pod (the kubelet owns it; the API cannot move it).</summary>
    MirrorPod,

    /// <summary>The pod opts out with <c>lepton.ai/no-rebalance: "true"</c>.</summary>
    OptedOut,

    /// <summary>The pod lives in <c>kube-system</c> and <see cref="RebalancerOptions.IncludeKubeSystem"/> is off.</summary>
    ProtectedNamespace,

    /// <summary>A bare pod: no controller would recreate it.</summary>
    NoController,

    /// <summary>A DaemonSet pod: it would come back on the same node.</summary>
    DaemonSet,

    /// <summary>The controller is of a kind the rebalancer does not know to recreate pods elsewhere.</summary>
    UnsupportedController,

    /// <summary>The pod's priority is above <see cref="RebalancerOptions.MaxPriority"/>.</summary>
    PriorityTooHigh,
}
