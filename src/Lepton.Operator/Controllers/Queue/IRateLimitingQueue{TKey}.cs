namespace Lepton.Operator.Controllers.Queue;

/// <summary>
/// A <see cref="IWorkQueue{TKey}"/> whose failed keys come back after a rate-limited delay
/// (client-go's <c>RateLimitingInterface</c>).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
public interface IRateLimitingQueue<TKey> : IWorkQueue<TKey>
    where TKey : notnull
{
    /// <summary>Adds <paramref name="key"/> after the delay its rate limiter grants (call on failure).</summary>
    /// <param name="key">The key.</param>
    void AddRateLimited(TKey key);

    /// <summary>Resets the failure history of <paramref name="key"/> (call on success).</summary>
    /// <param name="key">The key.</param>
    void Forget(TKey key);

    /// <summary>Returns how many rate-limited re-adds <paramref name="key"/> had since it was last forgotten.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number of requeues.</returns>
    int NumRequeues(TKey key);
}
