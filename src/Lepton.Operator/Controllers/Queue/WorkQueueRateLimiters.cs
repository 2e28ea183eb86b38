namespace Lepton.Operator.Controllers.Queue;

/// <summary>Factories for the usual rate limiters.</summary>
public static class WorkQueueRateLimiters
{
    /// <summary>
    /// controller-runtime's default: the longer of a per-key exponential backoff (5 ms → 1000 s) and a
    /// global token bucket (10 qps, burst 100).
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="timeProvider">The bucket's clock.</param>
    /// <returns>The limiter.</returns>
    public static IWorkQueueRateLimiter<TKey> CreateDefault<TKey>(TimeProvider timeProvider)
        where TKey : notnull
        => Create<TKey>(new WorkQueueRateLimiterOptions(), timeProvider);

    /// <summary>The same shape as <see cref="CreateDefault{TKey}"/> with the given settings.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The bucket's clock.</param>
    /// <returns>The limiter.</returns>
    public static IWorkQueueRateLimiter<TKey> Create<TKey>(WorkQueueRateLimiterOptions options, TimeProvider timeProvider)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MaxOfRateLimiter<TKey>(
            new ItemExponentialFailureRateLimiter<TKey>(options.BaseDelay, options.MaxDelay),
            new BucketRateLimiter<TKey>(options.Qps, options.Burst, timeProvider));
    }
}
