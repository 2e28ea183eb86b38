using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>
/// An API error that the server answers with a <c>v1 Status</c> object; also thrown by the direct store
/// helpers of <see cref="KubeApiTestServer"/> so tests see the same failure the HTTP client would.
/// </summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public KubeApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
        StatusNode = ApiErrors.BuildStatus(Code, Reason, message, null);
    }

    public KubeApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        StatusNode = ApiErrors.BuildStatus(code, reason, message, details);
    }

    /// <summary>The HTTP status code (<c>Status.code</c>).</summary>
    public int Code { get; }

    /// <summary>The machine-readable reason (<c>Status.reason</c>), e.g. <c>Conflict</c>.</summary>
    public string Reason { get; }

    /// <summary>A copy of the full <c>v1 Status</c> object.</summary>
    public JsonObject Status => (JsonObject)StatusNode.DeepClone();

    /// <summary>Seconds the client should wait before retrying (the <c>Retry-After</c> header), if any.</summary>
    public int? RetryAfterSeconds => (int?)Json.JsonNodes.GetInt64(Json.JsonNodes.GetObject(StatusNode, "details"), "retryAfterSeconds");

    internal JsonObject StatusNode { get; }
}
