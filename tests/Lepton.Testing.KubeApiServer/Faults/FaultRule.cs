namespace Lepton.Testing.KubeApiServer.Faults;

/// <summary>
/// Fails the next <see cref="Remaining"/> resource requests that match. <see cref="Verb"/> and
/// <see cref="Resource"/> are null for "any"; <see cref="Resource"/> is <c>pods</c>, <c>pods/status</c>, or
/// <c>pods/*</c> for the resource with any subresource.
/// </summary>
public sealed class FaultRule
{
    private int _remaining;
    private int _triggered;

    internal FaultRule(int count, string? verb, string? apiGroup, string? resource, int statusCode, string? message)
    {
        _remaining = count;
        Verb = verb;
        ApiGroup = apiGroup;
        Resource = resource;
        StatusCode = statusCode;
        Message = message;
    }

    public string? Verb { get; }

    public string? ApiGroup { get; }

    public string? Resource { get; }

    public int StatusCode { get; }

    public string? Message { get; }

    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>How many requests this rule failed.</summary>
    public int Triggered => Volatile.Read(ref _triggered);

    internal bool Matches(string verb, string apiGroup, string resource, string subresource) =>
        (Verb is null || Verb == verb)
        && (ApiGroup is null || ApiGroup == apiGroup)
        && FaultMatching.ResourceMatches(Resource, resource, subresource);

    /// <summary>Takes one failure from the budget; false when it is used up.</summary>
    internal bool TryConsume()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                Interlocked.Increment(ref _triggered);
                return true;
            }
        }
    }
}
