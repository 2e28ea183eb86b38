using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// One keep-alive HTTP/1.1 connection to an extender, as kube-scheduler holds one per extender:
/// posts a body and keeps the answer in a reused buffer (no allocation per byte read).
/// </summary>
public sealed class ExtenderConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly ArrayBufferWriter<byte> _answer = new(256 * 1024);

    /// <summary>Opens (lazily) the connection.</summary>
    /// <param name="address">The extender's base address.</param>
    public ExtenderConnection(Uri address)
    {
        Address = address;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    /// <summary>The extender's base address.</summary>
    public Uri Address { get; }

    /// <summary>The last answer's body.</summary>
    public ReadOnlySpan<byte> Answer => _answer.WrittenSpan;

    /// <summary>Posts a JSON body and reads the whole answer into <see cref="Answer"/>.</summary>
    /// <param name="path">The verb's path, e.g. <c>filter</c>.</param>
    /// <param name="body">The body.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CycleException">The answer was not HTTP 200 with a body.</exception>
    public async Task PostAsync(Uri path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        _answer.ResetWrittenCount();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while ((read = await stream.ReadAsync(_answer.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false)) > 0)
            {
                _answer.Advance(read);
            }
        }

        if (response.StatusCode != HttpStatusCode.OK || _answer.WrittenCount == 0)
        {
            var text = Encoding.UTF8.GetString(_answer.WrittenSpan[..Math.Min(200, _answer.WrittenCount)]);
            throw new CycleException($"{path.AbsolutePath}: HTTP {(int)response.StatusCode} {text}");
        }
    }

    /// <summary>Gets a text answer (for <c>/metrics</c>).</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The text.</returns>
    public Task<string> GetStringAsync(Uri path, CancellationToken cancellationToken) => _http.GetStringAsync(path, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
