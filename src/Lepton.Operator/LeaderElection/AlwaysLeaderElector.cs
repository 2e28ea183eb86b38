namespace Lepton.Operator.LeaderElection;

/// <summary>The elector used when leader election is disabled: this replica always leads (run exactly one replica).</summary>
/// <param name="identity">The identity reported.</param>
public sealed class AlwaysLeaderElector(string identity) : ILeaderElector
{
    /// <inheritdoc />
    public string Identity { get; } = identity;

    /// <inheritdoc />
    public bool IsLeader => true;

    /// <inheritdoc />
    public event EventHandler<LeadershipChangedEventArgs>? LeadershipChanged
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
        => Task.FromResult(CancellationToken.None);
}
