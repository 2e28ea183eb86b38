namespace Lepton.Operator.Entities;

/// <summary>The condition types the operator sets on <see cref="V1Alpha1LeptonJobStatus.Conditions"/>.</summary>
public static class LeptonJobConditionTypes
{
    /// <summary>True once every replica (at least <c>minAvailable</c> for a gang) is bound to a node.</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>True while at least <c>minAvailable</c> replicas run.</summary>
    public const string Running = "Running";

    /// <summary>
    /// True when the job ran and reached a terminal phase; the reason says which. A job whose spec is invalid never
    /// ran: it gets <see cref="Failed"/> alone.
    /// </summary>
    public const string Completed = "Completed";

    /// <summary>
    /// True when the job failed; the reason says why: <c>InvalidSpec</c> (the operator cannot run the spec, nothing
    /// was started), <c>ReplicaFailed</c> or <c>MaxRuntimeExceeded</c>.
    /// </summary>
    public const string Failed = "Failed";

    /// <summary>
    /// True while the job waits for room. Its message says in plain words why: which resource, how
    /// much is missing and on how many nodes, e.g. <c>4 replicas need 8 nvidia.com/gpu each; 1 of
    /// 12 nodes has 8 free, the others at most 4 (missing 4 GPUs per node)</c>.
    /// </summary>
    public const string Unschedulable = "Unschedulable";

    /// <summary>Every condition type, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Scheduled, Running, Completed, Failed, Unschedulable];
}
