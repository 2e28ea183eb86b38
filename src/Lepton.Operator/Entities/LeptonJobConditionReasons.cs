namespace Lepton.Operator.Entities;

/// <summary>
/// The <c>reason</c> values the operator writes on LeptonJob conditions: CamelCase identifiers
/// matching metav1.Condition's reason pattern.
/// </summary>
public static class LeptonJobConditionReasons
{
    /// <summary>The spec breaks a rule the API server did not check (or could not); see the message.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Pods are created and wait for the scheduler or for gang admission.</summary>
    public const string WaitingForPlacement = "WaitingForPlacement";

    /// <summary>No placement exists right now for the job (or the whole gang); the message says what is missing.</summary>
    public const string InsufficientResources = "InsufficientResources";

    /// <summary>No node offers the requested GPU model or FPGA resource at all.</summary>
    public const string NoMatchingNodes = "NoMatchingNodes";

    /// <summary>The gang found room: its scheduling gates were lifted with reserved nodes.</summary>
    public const string GangAdmitted = "GangAdmitted";

    /// <summary>Gang members were not all bound in time; the gang was re-gated and its reservation released.</summary>
    public const string GangTimeout = "GangTimeout";

    /// <summary>A higher-priority gang waits for room: lower-priority gangs or pods are being evicted for it.</summary>
    public const string Preempting = "Preempting";

    /// <summary>A higher-priority gang could make room only by evicting pods a PodDisruptionBudget protects; nothing was evicted.</summary>
    public const string PreemptionBlocked = "PreemptionBlocked";

    /// <summary>The gang (or a replica) was evicted to make room for a higher-priority job; it waits to be admitted again.</summary>
    public const string Preempted = "Preempted";

    /// <summary>The replicas are bound to nodes.</summary>
    public const string PodsScheduled = "PodsScheduled";

    /// <summary>The replicas run.</summary>
    public const string PodsRunning = "PodsRunning";

    /// <summary>Fewer than <c>minAvailable</c> replicas run.</summary>
    public const string PodsNotRunning = "PodsNotRunning";

    /// <summary>Every replica exited successfully.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>A replica failed and <c>restartPolicy</c> is <c>Never</c>.</summary>
    public const string ReplicaFailed = "ReplicaFailed";

    /// <summary>The job ran longer than <c>maxRuntime</c> and was stopped.</summary>
    public const string MaxRuntimeExceeded = "MaxRuntimeExceeded";
}
