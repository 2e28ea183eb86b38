namespace Lepton.Operator.Controllers.Queue;

/// <summary>Grants the longest delay of several limiters (client-go's <c>MaxOfRateLimiter</c>).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class MaxOfRateLimiter<TKey> : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly IWorkQueueRateLimiter<TKey>[] _limiters;

    /// <summary>Combines <paramref name="limiters"/>.</summary>
    /// <param name="limiters">At least one limiter.</param>
    public MaxOfRateLimiter(params IWorkQueueRateLimiter<TKey>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        ArgumentOutOfRangeException.ThrowIfZero(limiters.Length);
        _limiters = limiters;
    }

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            // Every limiter must record the failure, so no short-circuit.
            var delay = limiter.When(key);
            if (delay > max)
            {
                max = delay;
            }
        }

        return max;
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }

    /// <inheritdoc />
    public int NumRequeues(TKey key) => _limiters.Max(l => l.NumRequeues(key));
}
