namespace Lepton.Operator.Controllers.Queue;

/// <summary>
/// A work queue with client-go's semantics: a key waits at most once (dirty set), is never handed to two
/// workers at once (processing set), and a key added while it is being processed is handed out again only
/// after <see cref="Done"/>. Timed re-adds (<see cref="AddAfter"/>) go through the same queue.
/// </summary>
/// <typeparam name="TKey">The key type, usually <see cref="NamespacedName"/>.</typeparam>
/// <example>
/// A worker loop:
/// <code>
/// while (true)
/// {
///     var item = await queue.GetAsync(ct);
///     if (item.IsShutdown) { return; }
///     try { await ProcessAsync(item.Key, ct); }
///     finally { queue.Done(item.Key); }
/// }
/// </code>
/// </example>
public interface IWorkQueue<TKey>
    where TKey : notnull
{
    /// <summary>Gets the queue name (the <c>name</c> label of the work queue metrics).</summary>
    string Name { get; }

    /// <summary>Gets the number of keys waiting to be handed out (not those being processed or delayed).</summary>
    int Count { get; }

    /// <summary>Gets a value indicating whether <see cref="ShutDown"/> was called.</summary>
    bool IsShuttingDown { get; }

    /// <summary>Adds <paramref name="key"/> unless it already waits; ignored after shutdown.</summary>
    /// <param name="key">The key.</param>
    void Add(TKey key);

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed on the queue's clock.</summary>
    /// <param name="key">The key.</param>
    /// <param name="delay">The delay; zero or negative adds at once.</param>
    void AddAfter(TKey key, TimeSpan delay);

    /// <summary>
    /// Waits for the next key and marks it as processing; the caller must call <see cref="Done"/> for it.
    /// After shutdown, keys still waiting are handed out first (drain), then <see cref="WorkQueueItem{TKey}.IsShutdown"/> is set.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (no key is lost).</param>
    /// <returns>The key, or the shutdown marker.</returns>
    ValueTask<WorkQueueItem<TKey>> GetAsync(CancellationToken cancellationToken);

    /// <summary>Marks <paramref name="key"/> as processed; if it was added meanwhile it is queued again.</summary>
    /// <param name="key">The key returned by <see cref="GetAsync"/>.</param>
    void Done(TKey key);

    /// <summary>Stops accepting keys; waiting keys are still handed out, then workers get the shutdown marker.</summary>
    void ShutDown();

    /// <summary>Shuts the queue down and waits until every waiting key was handed out and is <see cref="Done"/>.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the queue is drained.</returns>
    Task ShutDownWithDrainAsync(CancellationToken cancellationToken);
}
