namespace Lepton.Scheduling.Fit;

/// <summary>Why a pod does or does not fit a node. Allocation-free, for hot loops.</summary>
public enum FitCode
{
    /// <summary>The pod fits.</summary>
    Fits = 0,

    /// <summary>The node is cordoned.</summary>
    NodeCordoned,

    /// <summary>The pod's <c>spec.nodeName</c> names another node.</summary>
    NodeNameMismatch,

    /// <summary>The node has a <c>NoSchedule</c> or <c>NoExecute</c> taint the pod does not tolerate.</summary>
    UntoleratedTaint,

    /// <summary>The node's labels do not match the pod's <c>spec.nodeSelector</c>.</summary>
    NodeSelectorMismatch,

    /// <summary>No term of the pod's required node affinity matches the node.</summary>
    NodeAffinityMismatch,

    /// <summary>The pod is a gang member reserved on another node.</summary>
    ReservedElsewhere,

    /// <summary>The pod needs GPUs and the node has none (or none of the pod's vendor).</summary>
    NoGpu,

    /// <summary>
    /// The node's GPU sharing does not suit the pod: a fractional pod on a node whose GPUs are not
    /// shared, or a whole-GPU pod on a node whose GPUs are time-sliced or under MPS.
    /// </summary>
    GpuSharingMismatch,

    /// <summary>The node's GPU model is not one the pod allows.</summary>
    GpuModelMismatch,

    /// <summary>The node has fewer GPU cards in total than the pod needs.</summary>
    TooFewGpuCards,

    /// <summary>The node does not advertise an extended resource the pod needs (an FPGA, say).</summary>
    MissingExtended,

    /// <summary>The node advertises less of an extended resource in total than the pod needs.</summary>
    TooLittleExtended,

    /// <summary>Not enough unrequested CPU now.</summary>
    InsufficientCpu,

    /// <summary>Not enough unrequested memory now.</summary>
    InsufficientMemory,

    /// <summary>No free pod slot now.</summary>
    TooManyPods,

    /// <summary>Not enough whole free GPU cards now.</summary>
    InsufficientGpu,

    /// <summary>No card (or not enough distinct cards) with the fractional share free now.</summary>
    InsufficientGpuShare,

    /// <summary>Not enough of an extended resource free now.</summary>
    InsufficientExtended,
}
