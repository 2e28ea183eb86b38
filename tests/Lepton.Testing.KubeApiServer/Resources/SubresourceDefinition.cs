namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>A subresource such as <c>pods/status</c> or <c>pods/eviction</c>, as listed in discovery.</summary>
/// <param name="Name">The subresource name (<c>status</c>, <c>binding</c>, <c>eviction</c>).</param>
/// <param name="Kind">The kind the subresource accepts.</param>
/// <param name="Verbs">The verbs served.</param>
/// <param name="Group">Group of <paramref name="Kind"/> when it differs from the parent's.</param>
/// <param name="Version">Version of <paramref name="Kind"/> when it differs from the parent's.</param>
public sealed record SubresourceDefinition(string Name, string Kind, IReadOnlyList<string> Verbs, string? Group = null, string? Version = null)
{
    public const string Status = "status";
    public const string Binding = "binding";
    public const string Eviction = "eviction";
}
