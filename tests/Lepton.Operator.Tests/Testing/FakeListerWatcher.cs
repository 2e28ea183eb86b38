using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using Lepton.Operator.Controllers.Informers;

namespace Lepton.Operator.Tests.Testing;

/// <summary>
/// A scripted <see cref="IListerWatcher{T}"/>: LIST answers come from <see cref="ListResponses"/> (or the
/// current <see cref="Items"/> in one page); each WATCH is a channel the test writes events (or an error) to.
/// </summary>
public sealed class FakeListerWatcher<T> : IListerWatcher<T>
    where T : class
{
    private readonly Channel<WatchSession> _sessions = Channel.CreateUnbounded<WatchSession>();
    private readonly Channel<ListPageRequest> _lists = Channel.CreateUnbounded<ListPageRequest>();

    public string ResourceName => "fakes";

    /// <summary>Scripted LIST results, consumed in order (a Func may throw).</summary>
    public Queue<Func<ListPageRequest, ResourceListPage<T>>> ListResponses { get; } = new();

    /// <summary>The one-page LIST answer when no script is left.</summary>
    public List<T> Items { get; } = [];

    public string ListResourceVersion { get; set; } = "1";

    public Task<ResourceListPage<T>> ListAsync(ListPageRequest request, CancellationToken cancellationToken)
    {
        _lists.Writer.TryWrite(request);
        if (ListResponses.TryDequeue(out var respond))
        {
            return Task.FromResult(respond(request));
        }

        return Task.FromResult(new ResourceListPage<T>([.. Items], ListResourceVersion, null));
    }

    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(WatchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new WatchSession(request);
        request.OnConnected?.Invoke();
        _sessions.Writer.TryWrite(session);
        await foreach (var item in session.Events.Reader.ReadAllAsync(cancellationToken))
        {
            if (item.Error is { } error)
            {
                throw error;
            }

            yield return item.Event;
        }
    }

    /// <summary>Waits for the next LIST call.</summary>
    public ValueTask<ListPageRequest> NextListAsync(CancellationToken cancellationToken) => _lists.Reader.ReadAsync(cancellationToken);

    /// <summary>Waits for the next WATCH call.</summary>
    public ValueTask<WatchSession> NextWatchAsync(CancellationToken cancellationToken) => _sessions.Reader.ReadAsync(cancellationToken);

    public sealed class WatchSession(WatchRequest request)
    {
        public WatchRequest Request { get; } = request;

        internal Channel<(ResourceWatchEvent<T> Event, Exception? Error)> Events { get; } = Channel.CreateUnbounded<(ResourceWatchEvent<T>, Exception?)>();

        public void Send(WatchEventType type, T obj, string rv) => Events.Writer.TryWrite((new ResourceWatchEvent<T>(type, obj, rv), null));

        public void Bookmark(string rv) => Events.Writer.TryWrite((new ResourceWatchEvent<T>(WatchEventType.Bookmark, null, rv), null));

        public void Error(int code, string reason) => Events.Writer.TryWrite((new ResourceWatchEvent<T>(WatchEventType.Error, null, null, new k8s.Models.V1Status { Code = code, Reason = reason }), null));

        public void Fail(Exception error) => Events.Writer.TryWrite((default, error));

        public void Close() => Events.Writer.TryComplete();
    }
}
