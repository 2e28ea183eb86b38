using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Reads a raw watch stream line by line, to check the wire format itself.</summary>
internal sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchReader(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public System.Net.HttpStatusCode StatusCode => _response.StatusCode;

    public static async Task<WatchReader> OpenAsync(KubeApiTestServer server, string pathAndQuery, CancellationToken cancellationToken)
    {
        var http = server.Http();
        var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        return new WatchReader(http, response, reader);
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }
}
