namespace Lepton.Operator.Entities;

/// <summary>The values of <see cref="V1Alpha1LeptonJobStatus.Phase"/>, in lifecycle order.</summary>
public static class LeptonJobPhases
{
    /// <summary>Accepted; the operator has not created the replicas' pods yet.</summary>
    public const string Pending = "Pending";

    /// <summary>Pods exist and wait for placement (gated gang or unscheduled pods).</summary>
    public const string Scheduling = "Scheduling";

    /// <summary>At least <c>minAvailable</c> replicas are bound and running.</summary>
    public const string Running = "Running";

    /// <summary>Every replica finished successfully (Training), or the job was stopped cleanly.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The job failed: invalid spec, a failed replica, or <c>maxRuntime</c> exceeded.</summary>
    public const string Failed = "Failed";

    /// <summary>Every allowed value, in lifecycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Scheduling, Running, Succeeded, Failed];

    /// <summary>Whether a phase is final (<see cref="Succeeded"/> or <see cref="Failed"/>).</summary>
    /// <param name="phase">The phase, or null.</param>
    /// <returns>True for a terminal phase.</returns>
    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;
}
