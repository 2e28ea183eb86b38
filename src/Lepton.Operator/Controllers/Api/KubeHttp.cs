using System.Net;
using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;

namespace Lepton.Operator.Controllers.Api;

/// <summary>
/// Raw HTTP against the API server through a <see cref="k8s.Kubernetes"/> client's handler chain and
/// credentials: what the generic informer and the lease lock need (any resource path, streamed watch
/// bodies, exact JSON bodies). Failures surface as <see cref="HttpOperationException"/>, like the
/// generated client's, so one classifier (<see cref="Resilience.KubeApiErrors"/>) serves both.
/// </summary>
internal sealed class KubeHttp
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly k8s.Kubernetes _client;
    private readonly string _baseUri;

    public KubeHttp(k8s.Kubernetes client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _baseUri = client.BaseUri.ToString().TrimEnd('/');
    }

    /// <summary>Sends a request; the response body is not buffered (watch streams). Throws on a non-success status.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUri + pathAndQuery))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.ParseAdd("application/json");
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Json);
        }

        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"{method} {pathAndQuery} returned {(int)response.StatusCode} {response.StatusCode}: {Truncate(body)}")
            {
                Request = new HttpRequestMessageWrapper(request, jsonBody ?? string.Empty),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }

    private static string Truncate(string body) => body.Length <= 512 ? body : body[..512] + "…";
}
