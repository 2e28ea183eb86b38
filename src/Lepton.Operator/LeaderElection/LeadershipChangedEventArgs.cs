namespace Lepton.Operator.LeaderElection;

/// <summary>Data of <see cref="ILeaderElector.LeadershipChanged"/>.</summary>
/// <param name="isLeader">Whether this replica leads now.</param>
/// <param name="identity">This replica's identity.</param>
public sealed class LeadershipChangedEventArgs(bool isLeader, string identity) : EventArgs
{
    /// <summary>Gets a value indicating whether this replica leads now.</summary>
    public bool IsLeader { get; } = isLeader;

    /// <summary>Gets this replica's identity.</summary>
    public string Identity { get; } = identity;
}
