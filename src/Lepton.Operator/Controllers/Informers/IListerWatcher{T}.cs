namespace Lepton.Operator.Controllers.Informers;

/// <summary>
/// The two API calls an informer makes (client-go's <c>ListerWatcher</c>): one page of a LIST, and a WATCH
/// stream. A seam: production uses <see cref="KubernetesListerWatcher{T}"/>; tests may fake it.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public interface IListerWatcher<T>
    where T : class
{
    /// <summary>Gets the resource name for logs and metrics (e.g. <c>pods</c>).</summary>
    string ResourceName { get; }

    /// <summary>Lists one page. A 410 (expired continue token) surfaces as an exception for which <see cref="Resilience.KubeApiErrors.IsGone"/> holds.</summary>
    /// <param name="request">Page size and continue token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    Task<ResourceListPage<T>> ListAsync(ListPageRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Lists one page and gives each item to <paramref name="transform"/> as soon as it is read, returning what the
    /// transform returned. The informer lists through this so that an implementation that reads items one at a
    /// time (<see cref="KubernetesListerWatcher{T}"/>) never holds a page of full objects: each one is slimmed, and
    /// the full copy is garbage, before the next is read. The default lists the page, then transforms it.
    /// </summary>
    /// <param name="request">Page size and continue token.</param>
    /// <param name="transform">Applied to every item of the page, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page of transformed items.</returns>
    async Task<ResourceListPage<T>> ListAsync(ListPageRequest request, Func<T, T> transform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var page = await ListAsync(request, cancellationToken).ConfigureAwait(false);
        return page with { Items = [.. page.Items.Select(transform)] };
    }

    /// <summary>
    /// Opens a watch from <see cref="WatchRequest.ResourceVersion"/> and streams its events until the server
    /// ends it. An expired resourceVersion is either an HTTP 410 (thrown) or an ERROR event with a 410 status.
    /// </summary>
    /// <param name="request">Where to start, and the server-side timeout.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(WatchRequest request, CancellationToken cancellationToken);
}
