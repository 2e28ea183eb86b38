using System.Text.Json.Nodes;
using System.Threading.Channels;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>
/// One open watch. The store offers events to it under its lock, in resourceVersion order; the HTTP layer
/// drains the encoded lines. A watch that falls too far behind is closed, as the real watch cache does.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<byte[]> _lines;
    private readonly IWatchEncoder _encoder;
    private readonly CancellationTokenSource _aborted = new();

    public Watcher(long id, WatchFilter filter, IWatchEncoder encoder, bool allowBookmarks, int capacity)
    {
        Id = id;
        Filter = filter;
        _encoder = encoder;
        AllowBookmarks = allowBookmarks;
        _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Id { get; }

    public WatchFilter Filter { get; }

    public bool AllowBookmarks { get; }

    /// <summary>Set by the store once the HTTP stream is set up; only ready watches count as active.</summary>
    public bool Ready { get; set; }

    public ChannelReader<byte[]> Lines => _lines.Reader;

    /// <summary>Signalled when the connection must be reset rather than closed.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Offers a committed change; sends ADDED/DELETED when the object enters or leaves the selection.</summary>
    public void Offer(StoreEvent change)
    {
        if (change.Resource != Filter.Resource)
        {
            return;
        }

        switch (change.Type)
        {
            case WatchEventType.Added:
                if (Filter.Matches(change.Object))
                {
                    Write(WatchEventType.Added, change.Object);
                }

                break;
            case WatchEventType.Deleted:
                if (Filter.Matches(change.Previous ?? change.Object))
                {
                    Write(WatchEventType.Deleted, change.Object);
                }

                break;
            case WatchEventType.Modified:
                var now = Filter.Matches(change.Object);
                var before = change.Previous is not null && Filter.Matches(change.Previous);
                if (now)
                {
                    Write(before ? WatchEventType.Modified : WatchEventType.Added, change.Object);
                }
                else if (before)
                {
                    // Left the selection: a DELETED of the old state at the new resourceVersion.
                    var old = (JsonObject)change.Previous!.DeepClone();
                    ObjectMeta.Of(old)["resourceVersion"] = change.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Write(WatchEventType.Deleted, old);
                }

                break;
        }
    }

    /// <summary>Sends an initial-state ADDED event for an object that existed when the watch started.</summary>
    public void OfferInitial(JsonObject obj) => Write(WatchEventType.Added, obj);

    public void OfferBookmark(long resourceVersion, bool initialEventsEnd = false)
    {
        if (AllowBookmarks)
        {
            TryWrite(_encoder.EncodeBookmark(resourceVersion, initialEventsEnd));
        }
    }

    /// <summary>Sends an ERROR event carrying a Status and ends the watch.</summary>
    public void Fail(JsonObject status)
    {
        TryWrite(_encoder.Encode(WatchEventType.Error, status));
        Close();
    }

    public void Close() => _lines.Writer.TryComplete();

    public void Abort()
    {
        _aborted.Cancel();
        Close();
    }

    private void Write(WatchEventType type, JsonObject obj) => TryWrite(_encoder.Encode(type, obj));

    private void TryWrite(byte[] line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            // Too slow a consumer: end the watch; the client re-lists or resumes from its last resourceVersion.
            Close();
        }
    }
}
