using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Api;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>
/// LIST and WATCH of any resource over a <see cref="k8s.Kubernetes"/> client, reading the newline-delimited watch
/// stream itself so that BOOKMARK and ERROR events (410 Expired) reach the informer instead of being swallowed.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed class KubernetesListerWatcher<T> : IListerWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeHttp _http;
    private readonly ResourceEndpoint _endpoint;
    private readonly string _selectors;

    /// <summary>Creates the lister/watcher.</summary>
    /// <param name="client">The API client (its handlers, credentials and base address are used).</param>
    /// <param name="endpoint">The resource; see <see cref="ResourceEndpoint.For{T}"/>.</param>
    /// <param name="labelSelector">Optional label selector.</param>
    /// <param name="fieldSelector">Optional field selector.</param>
    public KubernetesListerWatcher(k8s.Kubernetes client, ResourceEndpoint endpoint, string? labelSelector = null, string? fieldSelector = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = new KubeHttp(client);
        _endpoint = endpoint;
        var selectors = new StringBuilder();
        if (!string.IsNullOrEmpty(labelSelector))
        {
            selectors.Append("&labelSelector=").Append(Uri.EscapeDataString(labelSelector));
        }

        if (!string.IsNullOrEmpty(fieldSelector))
        {
            selectors.Append("&fieldSelector=").Append(Uri.EscapeDataString(fieldSelector));
        }

        _selectors = selectors.ToString();
    }

    /// <inheritdoc />
    public string ResourceName => _endpoint.Resource;

    /// <inheritdoc />
    public Task<ResourceListPage<T>> ListAsync(ListPageRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, static item => item, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The page's JSON is read into one document (its bytes, a few MB for 500 pods), then each item is
    /// deserialized and transformed in turn: the full object (managedFields, env, volumes: ~38 KiB of heap per
    /// realistic pod) is garbage before the next item is read, instead of a page of 500 of them (~19 MB) living
    /// across the collections that run while it is deserialized and being promoted to older generations.
    /// </remarks>
    public async Task<ResourceListPage<T>> ListAsync(ListPageRequest request, Func<T, T> transform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(transform);
        var query = string.Create(CultureInfo.InvariantCulture, $"{_endpoint.CollectionPath}?limit={request.Limit}{_selectors}");
        if (!string.IsNullOrEmpty(request.Continue))
        {
            query += "&continue=" + Uri.EscapeDataString(request.Continue);
        }

        using var response = await _http.SendAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The LIST of {ResourceName} returned no body.");
            }

            var metadata = root.TryGetProperty("metadata", out var metadataElement) && metadataElement.ValueKind == JsonValueKind.Object
                ? KubernetesJson.Deserialize<V1ListMeta>(metadataElement)
                : null;
            var items = new List<T>();
            if (root.TryGetProperty("items", out var itemsElement) && itemsElement.ValueKind == JsonValueKind.Array)
            {
                items.Capacity = itemsElement.GetArrayLength();
                foreach (var element in itemsElement.EnumerateArray())
                {
                    var item = KubernetesJson.Deserialize<T>(element)
                        ?? throw new InvalidDataException($"The LIST of {ResourceName} has a null item.");

                    // Items of a list come without kind and apiVersion.
                    item.ApiVersion ??= _endpoint.ApiVersion;
                    item.Kind ??= _endpoint.Kind;
                    items.Add(transform(item));
                }
            }

            return new ResourceListPage<T>(
                items.AsReadOnly(),
                metadata?.ResourceVersion ?? throw new InvalidDataException($"The LIST of {ResourceName} has no resourceVersion."),
                metadata.ContinueProperty);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(WatchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"{_endpoint.CollectionPath}?watch=true&allowWatchBookmarks={(request.AllowBookmarks ? "true" : "false")}&resourceVersion={Uri.EscapeDataString(request.ResourceVersion)}&timeoutSeconds={(long)Math.Ceiling(request.Timeout.TotalSeconds)}{_selectors}");
        using var response = await _http.SendAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
        request.OnConnected?.Invoke();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                yield return Parse(line);
            }
        }
    }

    private ResourceWatchEvent<T> Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var typeElement) || !root.TryGetProperty("object", out var obj))
        {
            throw new InvalidDataException($"A watch event of {ResourceName} lacks 'type' or 'object'.");
        }

        switch (typeElement.GetString())
        {
            case "ADDED":
                return ObjectEvent(WatchEventType.Added, obj);
            case "MODIFIED":
                return ObjectEvent(WatchEventType.Modified, obj);
            case "DELETED":
                return ObjectEvent(WatchEventType.Deleted, obj);
            case "BOOKMARK":
                var rv = obj.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var rvElement)
                    ? rvElement.GetString()
                    : null;
                return new ResourceWatchEvent<T>(WatchEventType.Bookmark, null, rv ?? throw new InvalidDataException($"A BOOKMARK of {ResourceName} has no resourceVersion."));
            case "ERROR":
                return new ResourceWatchEvent<T>(WatchEventType.Error, null, null, KubernetesJson.Deserialize<V1Status>(obj));
            case var other:
                throw new InvalidDataException($"Unknown watch event type '{other}' on {ResourceName}.");
        }
    }

    private ResourceWatchEvent<T> ObjectEvent(WatchEventType type, JsonElement element)
    {
        var obj = KubernetesJson.Deserialize<T>(element)
            ?? throw new InvalidDataException($"A {type} event of {ResourceName} has a null object.");
        return new ResourceWatchEvent<T>(type, obj, obj.Metadata?.ResourceVersion);
    }
}
