namespace Lepton.Operator.Entities;

/// <summary>The values of <see cref="V1Alpha1LeptonJobReplicaStatus.Phase"/>: the replica pod's phase.</summary>
public static class LeptonJobReplicaPhases
{
    /// <summary>The pod is not created yet, gated, or not yet running.</summary>
    public const string Pending = "Pending";

    /// <summary>The pod runs.</summary>
    public const string Running = "Running";

    /// <summary>The pod's containers exited with success.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The pod failed.</summary>
    public const string Failed = "Failed";

    /// <summary>The pod's state could not be obtained (e.g. its node is unreachable).</summary>
    public const string Unknown = "Unknown";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Running, Succeeded, Failed, Unknown];
}
