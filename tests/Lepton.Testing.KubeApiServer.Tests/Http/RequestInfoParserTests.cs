using Lepton.Testing.KubeApiServer.Http;

namespace Lepton.Testing.KubeApiServer.Tests.Http;

public sealed class RequestInfoParserTests
{
    [Theory]
    [InlineData("GET", "/api/v1/pods", null, "list", "", "", "pods", "", "")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods/p", null, "get", "", "ns", "pods", "p", "")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", "true", "watch", "", "ns", "pods", "", "")]
    [InlineData("GET", "/api/v1/watch/namespaces/ns/pods/p", null, "watch", "", "ns", "pods", "p", "")]
    [InlineData("POST", "/api/v1/namespaces/ns/pods/p/binding", null, "create", "", "ns", "pods", "p", "binding")]
    [InlineData("PATCH", "/apis/lepton.ai/v1alpha1/namespaces/ns/leptonjobs/j/status", null, "patch", "lepton.ai", "ns", "leptonjobs", "j", "status")]
    [InlineData("DELETE", "/api/v1/namespaces/ns/configmaps", null, "deletecollection", "", "ns", "configmaps", "", "")]
    [InlineData("GET", "/api/v1/namespaces", null, "list", "", "", "namespaces", "", "")]
    [InlineData("PUT", "/api/v1/namespaces/team", null, "update", "", "team", "namespaces", "team", "")]
    [InlineData("PUT", "/api/v1/namespaces/team/status", null, "update", "", "team", "namespaces", "team", "status")]
    [InlineData("PUT", "/api/v1/nodes/n1/status", null, "update", "", "", "nodes", "n1", "status")]
    public void Parse_ResourceUrl_YieldsRbacAttributes(string method, string path, string? watch, string verb, string group, string ns, string resource, string name, string subresource)
    {
        var info = RequestInfoParser.Parse(method, path, key => key == "watch" ? watch : null);

        Assert.True(info.IsResourceRequest);
        Assert.Equal((verb, group, ns, resource, name, subresource), (info.Verb, info.ApiGroup, info.Namespace, info.Resource, info.Name, info.Subresource));
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/apis/policy/v1")]
    [InlineData("/version")]
    [InlineData("/openapi/v3")]
    public void Parse_DiscoveryUrl_IsNotAResourceRequest(string path)
    {
        var info = RequestInfoParser.Parse("GET", path, _ => null);

        Assert.False(info.IsResourceRequest);
        Assert.Equal("get", info.Verb);
    }
}
