using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Tables;
using Lepton.Testing.KubeApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>
/// Streams a watch as newline-delimited JSON until the client leaves, the server-side timeout (on the
/// injected clock) passes, or a fault drops it.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TableConverter tables, KubeApiTestServerOptions options)
{
    public async Task StreamAsync(HttpContext context, ResourceDefinition definition, RequestInfo info, ResponseFormat format, CancellationToken cancellationToken)
    {
        var query = new QueryOptions(context.Request.Query);
        var ns = definition.Namespaced ? info.Namespace : "";
        var filter = query.Filter(definition, ns, info.Name);
        var start = query.WatchStart();
        var timeoutSeconds = query.Int("timeoutSeconds");
        IWatchEncoder encoder = format.Kind == ResponseKind.Table
            ? new TableWatchEncoder(definition, tables, new TableRequest(format.ApiVersion, query.String("includeObject") ?? "Metadata"))
            : new JsonWatchEncoder(definition);

        var timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : options.DefaultWatchTimeout;
        using var timeoutSource = timeout is { } t ? new CancellationTokenSource(t, options.TimeProvider) : new CancellationTokenSource();
        var watcher = store.StartWatch(filter, start, encoder);
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.Headers.CacheControl = "no-cache, private";
            await response.StartAsync(cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token, watcher.Aborted);
            using var bookmarks = start.AllowBookmarks && options.BookmarkInterval is { } interval
                ? options.TimeProvider.CreateTimer(_ => store.SendBookmarks(watcher), null, interval, interval)
                : null;
            store.MarkWatchReady(watcher);
            try
            {
                await foreach (var line in watcher.Lines.ReadAllAsync(linked.Token).ConfigureAwait(false))
                {
                    await response.Body.WriteAsync(line, linked.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // A timeout ends the stream cleanly, as the real server does; a client that left needs nothing.
            }
            catch (IOException)
            {
                // The client closed the connection mid-write.
                return;
            }

            if (watcher.Aborted.IsCancellationRequested)
            {
                context.Abort();
            }
        }
        finally
        {
            store.StopWatch(watcher);
        }
    }
}
