namespace Lepton.Operator.Controllers.Informers;

/// <summary>The type-independent face of an informer: what readiness checks and controllers wait on.</summary>
public interface IInformer
{
    /// <summary>Gets the resource name (e.g. <c>pods</c>).</summary>
    string ResourceName { get; }

    /// <summary>Gets a value indicating whether the first full LIST has been applied to the cache.</summary>
    bool HasSynced { get; }

    /// <summary>
    /// Gets when the informer's list or watch began failing (the first error of an unbroken run of errors), or null
    /// while it is healthy: a successful LIST, a watch event, or a watch that stays connected clears it.
    /// </summary>
    DateTimeOffset? FailingSince { get; }

    /// <summary>Gets the last list or watch error of the current failing run, or null while healthy.</summary>
    string? LastError { get; }

    /// <summary>Completes when the cache has synced; faults if the informer fails before that.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes on sync.</returns>
    Task ReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Lists the resource again now (a consistent read, made after this call) and completes once
    /// that list is in the cache and its changes dispatched; the watch resumes from it. A new
    /// leader waits on this before it answers kube-scheduler (DECISIONS.md 19), so it sees the old
    /// leader's last binds.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the relist still happens).</param>
    /// <returns>A task that completes when a list read after this call has been applied.</returns>
    Task RelistAsync(CancellationToken cancellationToken);

    /// <summary>Runs the list-and-watch loop until <paramref name="cancellationToken"/> is cancelled; unrecoverable errors escape.</summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that ends when the loop stops.</returns>
    Task RunAsync(CancellationToken cancellationToken);
}
