namespace Lepton.Operator.Controllers.Queue;

/// <summary>Decides how long a failed key waits before it is retried (client-go's <c>TypedRateLimiter</c>).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public interface IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    /// <summary>Records one more failure of <paramref name="key"/> and returns how long it must wait.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The delay before the retry.</returns>
    TimeSpan When(TKey key);

    /// <summary>Forgets the failures of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    void Forget(TKey key);

    /// <summary>Returns the failures recorded for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number of failures since the last <see cref="Forget"/>.</returns>
    int NumRequeues(TKey key);
}
