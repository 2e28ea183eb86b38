namespace Lepton.Operator.Rebalancing;

/// <summary>The answer to one eviction request.</summary>
/// <param name="Result">The outcome.</param>
/// <param name="StatusCode">The HTTP status of the last attempt, or null without a response (success included).</param>
/// <param name="Message">What the server said (for logs and the pod's event).</param>
/// <param name="RetryAfter">The server's hint for when to try again (a 429's <c>retryAfterSeconds</c>), or null.</param>
public sealed record EvictionOutcome(MoveResult Result, int? StatusCode, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>Gets the outcome of a successful eviction.</summary>
    public static EvictionOutcome Success { get; } = new(MoveResult.Evicted, null, "evicted");
}
