using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Assertions on API errors as the client sees them.</summary>
internal static class ApiAssert
{
    /// <summary>Asserts the call fails with <paramref name="code"/> and returns the Status body.</summary>
    public static async Task<JsonObject> FailsWithAsync(HttpStatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, error.Response.StatusCode);
        var status = Assert.IsType<JsonObject>(JsonNode.Parse(error.Response.Content));
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal((int)code, (int?)status["code"]);
        return status;
    }
}
