using Lepton.Testing.KubeApiServer.Http;

namespace Lepton.Testing.KubeApiServer.Tests.Http;

public sealed class ResponseFormatTests
{
    [Theory]
    [InlineData(null, "Object", "")]
    [InlineData("application/json", "Object", "")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "Table", "meta.k8s.io/v1")]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io", "Table", "meta.k8s.io/v1beta1")]
    [InlineData("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json", "PartialObjectMetadata", "meta.k8s.io/v1")]
    [InlineData("application/vnd.kubernetes.protobuf,application/json", "Object", "")]
    [InlineData("application/json;as=Table;v=v2;g=meta.k8s.io,application/json", "Object", "")]
    public void Negotiate_AcceptHeader_PicksFirstServableRepresentation(string? accept, string kind, string apiVersion)
    {
        var format = ResponseFormat.Negotiate(accept);

        Assert.Equal((kind, apiVersion), (format.Kind.ToString(), format.ApiVersion));
    }
}
