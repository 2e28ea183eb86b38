namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>What a request addresses, in the terms of the API server's <c>RequestInfo</c> (and of RBAC).</summary>
internal sealed record RequestInfo(
    bool IsResourceRequest,
    string Verb,
    string Path,
    string ApiGroup = "",
    string ApiVersion = "",
    string Namespace = "",
    string Resource = "",
    string Subresource = "",
    string Name = "")
{
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
