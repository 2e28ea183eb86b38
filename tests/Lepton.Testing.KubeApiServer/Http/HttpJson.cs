using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Patching;
using Microsoft.AspNetCore.Http;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>Reads request bodies (JSON or YAML) and writes JSON responses.</summary>
internal static class HttpJson
{
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>The body as a JSON node; null when it is empty.</summary>
    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var mediaType = MediaType(request);
        if (mediaType.Contains("protobuf", StringComparison.Ordinal) || mediaType.Contains("cbor", StringComparison.Ordinal))
        {
            // kubectl's typed generators (create deployment, ...) send protobuf; this double speaks JSON and YAML only.
            throw ApiErrors.UnsupportedMediaType(mediaType, ["application/json", "application/yaml"]);
        }

        try
        {
            if (mediaType.Contains("yaml", StringComparison.Ordinal))
            {
                var documents = YamlJson.ParseDocuments(text);
                return documents.Count == 1 ? documents[0] : throw new FormatException("expected one YAML document");
            }

            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest("json parse error: " + e.Message);
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false) as JsonObject
        ?? throw ApiErrors.BadRequest("the request body must be a JSON object");

    public static async Task WriteAsync(HttpResponse response, int statusCode, JsonNode body, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        var bytes = JsonNodes.ToUtf8Bytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    public static Task WriteStatusAsync(HttpResponse response, KubeApiException error, CancellationToken cancellationToken)
    {
        if (error.RetryAfterSeconds is > 0 and var seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(response, error.Code, error.StatusNode, cancellationToken);
    }
}
