using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lepton.Operator.Resilience;
using Lepton.Scheduling.Inventory;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Evicts pods through the <c>policy/v1</c> Eviction subresource (<c>POST /api/v1/namespaces/{ns}/pods/{name}/eviction</c>),
/// never with a plain DELETE, so PodDisruptionBudgets are honoured. The request carries the pod's UID as a
/// precondition (a replacement with the same name is never evicted by mistake). A Polly pipeline retries only what
/// may succeed at once (transport errors, attempt timeouts, 502/503/504); a 429 from a budget, a 500 (several
/// budgets match the pod), a 403 (a negative budget) and any other error are answered at once, not retried.
/// </summary>
public sealed class RebalanceEvictor
{
    private readonly IKubernetes _client;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the evictor.</summary>
    /// <param name="client">The API client.</param>
    /// <param name="options">Retry and timeout settings.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts.</param>
    public RebalanceEvictor(IKubernetes client, RebalancerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.EvictionRetryAttempts > 0)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = options.EvictionRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.EvictionRetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsRetryable(e, args.Context.CancellationToken)),
            };
            if (options.Randomizer is { } randomizer)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        _pipeline = builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.EvictionAttemptTimeout }).Build();
    }

    /// <summary>Asks the API server to evict <paramref name="pod"/>.</summary>
    /// <param name="pod">The pod (namespace, name and UID are used).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>What happened; API errors are answered, never thrown (only the caller's cancellation is).</returns>
    public Task<EvictionOutcome> EvictAsync(PodDemand pod, CancellationToken cancellationToken) => EvictAsync(pod, dryRun: false, cancellationToken);

    /// <summary>
    /// Asks the API server to evict <paramref name="pod"/>, or with <paramref name="dryRun"/> only whether it would:
    /// <c>deleteOptions.dryRun: ["All"]</c> runs every check (PodDisruptionBudgets included) and answers as the real
    /// call would, deleting nothing and consuming no disruption.
    /// </summary>
    /// <param name="pod">The pod (namespace, name and UID are used).</param>
    /// <param name="dryRun">Only check.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>What happened (or would); API errors are answered, never thrown (only the caller's cancellation is).</returns>
    public async Task<EvictionOutcome> EvictAsync(PodDemand pod, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var body = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = pod.Name, NamespaceProperty = pod.Namespace },
            DeleteOptions = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = pod.Uid }, DryRun = dryRun ? ["All"] : null },
        };
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await _client.CoreV1.CreateNamespacedPodEvictionAsync(body, pod.Name, pod.Namespace, cancellationToken: ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return EvictionOutcome.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpOperationException or KubernetesException or HttpRequestException or IOException
            or TimeoutRejectedException or OperationCanceledException or JsonException)
        {
            return Classify(e);
        }
    }

    /// <summary>Whether an eviction attempt that failed with <paramref name="exception"/> is worth repeating at once.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="callerToken">The caller's token: its own cancellation is never retried.</param>
    /// <returns>True for transport errors, attempt timeouts and 502/503/504.</returns>
    internal static bool IsRetryable(Exception exception, CancellationToken callerToken) => exception switch
    {
        TimeoutRejectedException or TimeoutException or HttpRequestException or IOException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => KubeApiErrors.StatusCode(exception) is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
    };

    private static EvictionOutcome Classify(Exception e)
    {
        var status = KubeApiErrors.StatusCode(e);
        if (status is null)
        {
            return new EvictionOutcome(MoveResult.Error, null, e.Message);
        }

        var body = ReadStatus(e);
        var message = Describe(body) ?? e.Message;
        var code = (int)status.Value;
        return status.Value switch
        {
            HttpStatusCode.TooManyRequests => new EvictionOutcome(MoveResult.PdbBlocked, code, message, RetryAfter(body, e)),
            HttpStatusCode.NotFound or HttpStatusCode.Conflict => new EvictionOutcome(MoveResult.Gone, code, message),
            _ => new EvictionOutcome(MoveResult.Error, code, message),
        };
    }

    private static V1Status? ReadStatus(Exception e)
    {
        switch (e)
        {
            case KubernetesException { Status: { } s }:
                return s;
            case HttpOperationException { Response.Content: { Length: > 0 } content }:
                try
                {
                    return KubernetesJson.Deserialize<V1Status>(content);
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    private static string? Describe(V1Status? status)
    {
        if (status is null || string.IsNullOrEmpty(status.Message))
        {
            return null;
        }

        var causes = status.Details?.Causes?.Where(c => !string.IsNullOrEmpty(c.Message)).Select(c => c.Message).ToArray() ?? [];
        return causes.Length == 0 ? status.Message : status.Message + " " + string.Join("; ", causes);
    }

    private static TimeSpan? RetryAfter(V1Status? status, Exception e)
    {
        if (status?.Details?.RetryAfterSeconds is int seconds and > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return KubeApiErrors.RetryAfter(e);
    }
}
