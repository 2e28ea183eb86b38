namespace Lepton.Operator.LeaderElection;

/// <summary>
/// Tells components whether this replica leads. Informers and the extender run on every replica; reconcile
/// workers run only during a leadership term (see <see cref="WaitForLeadershipAsync"/>).
/// </summary>
/// <example>
/// <code>
/// while (!ct.IsCancellationRequested)
/// {
///     var term = await elector.WaitForLeadershipAsync(ct);
///     using var lead = CancellationTokenSource.CreateLinkedTokenSource(ct, term);
///     await RunWorkersAsync(lead.Token); // stops when leadership is lost
/// }
/// </code>
/// </example>
public interface ILeaderElector
{
    /// <summary>Gets this replica's identity (the lease holder identity).</summary>
    string Identity { get; }

    /// <summary>Gets a value indicating whether this replica leads now.</summary>
    bool IsLeader { get; }

    /// <summary>Raised on the elector's loop when this replica gains or loses leadership.</summary>
    event EventHandler<LeadershipChangedEventArgs>? LeadershipChanged;

    /// <summary>Completes when this replica leads; the token it returns is cancelled when that leadership term ends.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The token of the current leadership term.</returns>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken);
}
