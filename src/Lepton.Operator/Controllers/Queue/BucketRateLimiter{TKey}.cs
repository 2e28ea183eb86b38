namespace Lepton.Operator.Controllers.Queue;

/// <summary>
/// A global token bucket shared by every key (client-go's <c>BucketRateLimiter</c>): <c>burst</c> retries
/// pass at once, then one per <c>1/qps</c>. Each call reserves a token, going into debt when none is left,
/// so the returned delays grow with the queue of retries.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class BucketRateLimiter<TKey> : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _qps;
    private readonly double _burst;
    private double _tokens;
    private long _lastTimestamp;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="qps">Tokens added per second.</param>
    /// <param name="burst">Bucket size.</param>
    /// <param name="timeProvider">The clock.</param>
    public BucketRateLimiter(double qps, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _qps = qps;
        _burst = burst;
        _tokens = burst;
        _timeProvider = timeProvider;
        _lastTimestamp = timeProvider.GetTimestamp();
    }

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            var elapsed = _timeProvider.GetElapsedTime(_lastTimestamp, now);
            _lastTimestamp = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _qps));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
    }

    /// <inheritdoc />
    public int NumRequeues(TKey key) => 0;
}
