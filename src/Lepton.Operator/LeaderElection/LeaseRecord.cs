namespace Lepton.Operator.LeaderElection;

/// <summary>The leader-election fields of a coordination.k8s.io/v1 Lease spec (client-go's <c>LeaderElectionRecord</c>).</summary>
/// <param name="HolderIdentity">The holder; empty when released.</param>
/// <param name="LeaseDurationSeconds">How long other candidates wait, from when they observe a change, before taking over.</param>
/// <param name="AcquireTime">When the current holder acquired the lease (MicroTime).</param>
/// <param name="RenewTime">When the holder last renewed it (MicroTime).</param>
/// <param name="LeaseTransitions">How many times the holder changed.</param>
public sealed record LeaseRecord(
    string HolderIdentity,
    int LeaseDurationSeconds,
    DateTimeOffset? AcquireTime,
    DateTimeOffset? RenewTime,
    int LeaseTransitions)
{
    /// <summary>Truncates <paramref name="time"/> to whole microseconds in UTC, the precision of a Kubernetes MicroTime.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The truncated time.</returns>
    public static DateTimeOffset ToMicroTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}
