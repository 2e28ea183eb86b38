using Lepton.Operator.Metrics;

namespace Lepton.Operator.Controllers.Queue;

/// <summary>
/// A <see cref="WorkQueue{TKey}"/> with rate-limited re-adds (client-go's rate-limiting queue): failures go
/// back through <see cref="AddRateLimited"/>, whose delay comes from an <see cref="IWorkQueueRateLimiter{TKey}"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class RateLimitingQueue<TKey> : WorkQueue<TKey>, IRateLimitingQueue<TKey>
    where TKey : notnull
{
    private readonly IWorkQueueRateLimiter<TKey> _rateLimiter;
    private readonly OperatorMetrics? _metrics;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="name">The queue name (metrics label).</param>
    /// <param name="rateLimiter">Decides retry delays; see <see cref="WorkQueueRateLimiters.CreateDefault{TKey}"/>.</param>
    /// <param name="timeProvider">The clock for delays.</param>
    /// <param name="metrics">Where depth, adds and retries are counted; null for none.</param>
    public RateLimitingQueue(string name, IWorkQueueRateLimiter<TKey> rateLimiter, TimeProvider timeProvider, OperatorMetrics? metrics = null)
        : base(name, timeProvider, metrics)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _rateLimiter = rateLimiter;
        _metrics = metrics;
    }

    /// <inheritdoc />
    public void AddRateLimited(TKey key)
    {
        if (IsShuttingDown)
        {
            return;
        }

        _metrics?.WorkQueueRetried(Name);
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <inheritdoc />
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    /// <inheritdoc />
    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);
}
