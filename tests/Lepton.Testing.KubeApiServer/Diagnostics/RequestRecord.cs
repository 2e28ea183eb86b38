namespace Lepton.Testing.KubeApiServer.Diagnostics;

/// <summary>One request the server answered.</summary>
/// <param name="Timestamp">When it arrived (server clock).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">URL path.</param>
/// <param name="Query">Query string, including the leading <c>?</c> when present.</param>
/// <param name="Verb">RBAC verb: get, list, watch, create, update, patch, delete, deletecollection; lower-case method for non-resource URLs.</param>
/// <param name="ApiGroup">API group; empty for core and for non-resource URLs.</param>
/// <param name="ApiVersion">API version.</param>
/// <param name="Resource">Resource (plural); empty for non-resource URLs.</param>
/// <param name="Subresource">Subresource such as <c>status</c>, <c>binding</c>, <c>eviction</c>.</param>
/// <param name="Namespace">Namespace, if any.</param>
/// <param name="Name">Object name, if any.</param>
/// <param name="UserAgent">The client's User-Agent header.</param>
/// <param name="StatusCode">HTTP status code answered.</param>
/// <param name="IsResourceRequest">False for discovery, /version, /openapi and health endpoints.</param>
public sealed record RequestRecord(
    DateTimeOffset Timestamp,
    string Method,
    string Path,
    string Query,
    string Verb,
    string ApiGroup,
    string ApiVersion,
    string Resource,
    string Subresource,
    string Namespace,
    string Name,
    string UserAgent,
    int StatusCode,
    bool IsResourceRequest)
{
    /// <summary><c>pods</c> or <c>pods/status</c>, as RBAC rules name it.</summary>
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
