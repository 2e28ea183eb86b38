using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Lepton.Operator.Resilience;

/// <summary>
/// Runs Kubernetes API calls through a Polly pipeline: retry with jittered exponential backoff on transient
/// failures (<see cref="KubeApiErrors.IsTransient"/>, honouring <c>Retry-After</c>), around a per-attempt
/// timeout. A 409 Conflict is never retried here: it is rethrown as <see cref="ConflictException"/> so the
/// work queue requeues the key and the reconcile starts again from a fresh read.
/// </summary>
/// <example>
/// <code>
/// await pipeline.ExecuteAsync(
///     ct => new ValueTask&lt;V1Pod&gt;(client.CoreV1.PatchNamespacedPodStatusAsync(patch, name, ns, cancellationToken: ct)),
///     cancellationToken);
/// </code>
/// </example>
public sealed class KubeApiPipeline
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Builds the pipeline.</summary>
    /// <param name="options">Retry and timeout settings.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    public KubeApiPipeline(KubeApiResilienceOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && KubeApiErrors.IsTransient(e, args.Context.CancellationToken)),
            DelayGenerator = args =>
            {
                var hint = KubeApiErrors.RetryAfter(args.Outcome.Exception);
                return ValueTask.FromResult<TimeSpan?>(hint is { } h ? (h < options.MaxDelay ? h : options.MaxDelay) : null);
            },
        };
        if (options.Randomizer is { } randomizer)
        {
            retry.Randomizer = randomizer;
        }

        if (options.MaxRetryAttempts == 0)
        {
            _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
                .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout })
                .Build();
        }
        else
        {
            _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
                .AddRetry(retry)
                .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout })
                .Build();
        }
    }

    /// <summary>Runs <paramref name="call"/> with retries; a 409 surfaces as <see cref="ConflictException"/>.</summary>
    /// <typeparam name="TResult">The call's result.</typeparam>
    /// <param name="call">The API call; it must honour the token it is given (the per-attempt timeout).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the first successful attempt.</returns>
    public async ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await _pipeline.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ConflictException && KubeApiErrors.IsConflict(e))
        {
            throw new ConflictException($"Conflict: {e.Message}", e);
        }
    }

    /// <summary>Runs <paramref name="call"/> with retries; a 409 surfaces as <see cref="ConflictException"/>.</summary>
    /// <param name="call">The API call; it must honour the token it is given (the per-attempt timeout).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes after the first successful attempt.</returns>
    public async ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await _pipeline.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ConflictException && KubeApiErrors.IsConflict(e))
        {
            throw new ConflictException($"Conflict: {e.Message}", e);
        }
    }
}
