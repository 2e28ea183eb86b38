namespace Lepton.Testing.KubeApiServer.Faults;

/// <summary>Delays every matching resource request by <see cref="Delay"/> on the server's <see cref="TimeProvider"/>.</summary>
public sealed record LatencyRule(TimeSpan Delay, string? Verb = null, string? Resource = null)
{
    internal bool Matches(string verb, string resource, string subresource) =>
        (Verb is null || Verb == verb) && FaultMatching.ResourceMatches(Resource, resource, subresource);
}
