using System.Collections.Immutable;

namespace Lepton.Testing.KubeApiServer.Faults;

/// <summary>
/// Programmatic faults for resource requests (discovery and health endpoints are never affected):
/// failures with any status code for the next N matching requests, and latency.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _delayGate = new();
    private ImmutableList<FaultRule> _failures = [];
    private ImmutableList<LatencyRule> _latencies = [];
    private TaskCompletionSource _delayedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _delayedRequests;

    /// <summary>Requests currently held by injected latency.</summary>
    public int DelayedRequests
    {
        get
        {
            lock (_delayGate)
            {
                return _delayedRequests;
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> requests matching verb and resource fail with <paramref name="statusCode"/>.</summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="verb">RBAC verb (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>...); null for any.</param>
    /// <param name="resource"><c>pods</c>, <c>pods/status</c>, <c>pods/*</c>; null for any.</param>
    /// <param name="statusCode">HTTP status of the injected <c>Status</c>.</param>
    /// <param name="message">Status message; a default names the fault.</param>
    /// <param name="apiGroup">API group; null for any.</param>
    public FaultRule FailNext(int count = 1, string? verb = null, string? resource = null, int statusCode = 500, string? message = null, string? apiGroup = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        var rule = new FaultRule(count, verb, apiGroup, resource, statusCode, message);
        ImmutableInterlocked.Update(ref _failures, list => list.Add(rule));
        return rule;
    }

    /// <summary>Delays matching requests by <paramref name="delay"/> until <see cref="ClearLatency"/> or <see cref="Reset"/>.</summary>
    public LatencyRule AddLatency(TimeSpan delay, string? verb = null, string? resource = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var rule = new LatencyRule(delay, verb, resource);
        ImmutableInterlocked.Update(ref _latencies, list => list.Add(rule));
        return rule;
    }

    public void ClearLatency() => _latencies = [];

    public void Reset()
    {
        _failures = [];
        _latencies = [];
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> requests are held by injected latency; their timers
    /// are armed by then, so a test can advance a fake clock right after.
    /// </summary>
    public async Task WaitForDelayedRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_delayGate)
            {
                if (_delayedRequests >= count)
                {
                    return;
                }

                changed = _delayedChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits out the injected latency on the server clock.</summary>
    internal async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var delayed = Task.Delay(delay, time, cancellationToken);
        ChangeDelayed(+1);
        try
        {
            await delayed.ConfigureAwait(false);
        }
        finally
        {
            ChangeDelayed(-1);
        }
    }

    /// <summary>The rule that fails this request, if any (its budget is consumed).</summary>
    internal FaultRule? TryConsumeFailure(string verb, string apiGroup, string resource, string subresource)
    {
        foreach (var rule in _failures)
        {
            if (rule.Matches(verb, apiGroup, resource, subresource) && rule.TryConsume())
            {
                return rule;
            }
        }

        return null;
    }

    private void ChangeDelayed(int delta)
    {
        TaskCompletionSource previous;
        lock (_delayGate)
        {
            _delayedRequests += delta;
            previous = _delayedChanged;
            _delayedChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    internal TimeSpan LatencyFor(string verb, string resource, string subresource) =>
        _latencies.Where(l => l.Matches(verb, resource, subresource)).Aggregate(TimeSpan.Zero, (total, l) => total + l.Delay);
}
