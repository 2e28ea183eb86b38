using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>Watch registration, bookmarks, compaction and fault injection on watches.</summary>
internal sealed partial class ObjectStore
{
    private readonly List<Watcher> _watchers = [];
    private TaskCompletionSource _watchersChanged = NewSignal();
    private long _nextWatcherId;

    /// <summary>Open watches whose stream is fully set up (see <see cref="MarkWatchReady"/>).</summary>
    public int ActiveWatchCount
    {
        get
        {
            lock (_gate)
            {
                return ReadyWatchCount();
            }
        }
    }

    /// <summary>The oldest resourceVersion a watch may still resume from.</summary>
    public long HistoryFloor
    {
        get
        {
            lock (_gate)
            {
                return _history.Floor;
            }
        }
    }

    /// <summary>
    /// Opens a watch. Its first events (initial state, or history replay after a resourceVersion) are queued
    /// under the lock, so nothing committed concurrently is lost or duplicated.
    /// </summary>
    public Watcher StartWatch(WatchFilter filter, WatchStart start, IWatchEncoder encoder)
    {
        lock (_gate)
        {
            var watcher = new Watcher(++_nextWatcherId, filter, encoder, start.AllowBookmarks, _options.WatchBufferCapacity);
            if (start.ResourceVersion is { } rv and not 0 && !start.SendInitialEvents)
            {
                if (rv < _history.Floor)
                {
                    // The real server answers 200 and sends the 410 as an ERROR event.
                    watcher.Fail(ApiErrors.TooOldResourceVersion(rv, _history.Floor + 1).StatusNode);
                    return watcher;
                }

                foreach (var change in _history.After(rv))
                {
                    watcher.Offer(change);
                }
            }
            else
            {
                foreach (var obj in ItemsCore(filter.Resource, filter.Namespace).Where(filter.Matches))
                {
                    watcher.OfferInitial(obj);
                }

                if (start.SendInitialEvents)
                {
                    watcher.OfferBookmark(_resourceVersion, initialEventsEnd: true);
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>
    /// Counts the watch as active once the HTTP layer has sent the headers and armed its timers, so a test
    /// that waits for it can then move a fake clock without racing the stream's setup.
    /// </summary>
    public void MarkWatchReady(Watcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.Contains(watcher))
            {
                watcher.Ready = true;
                SignalWatchersChanged();
            }
        }
    }

    public void StopWatch(Watcher watcher)
    {
        lock (_gate)
        {
            watcher.Close();
            if (_watchers.Remove(watcher))
            {
                SignalWatchersChanged();
            }
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to one watch, or to all.</summary>
    public void SendBookmarks(Watcher? only = null)
    {
        lock (_gate)
        {
            foreach (var watcher in only is null ? _watchers.ToArray() : [only])
            {
                watcher.OfferBookmark(_resourceVersion);
            }
        }
    }

    /// <summary>Ends every open watch; returns how many were open.</summary>
    public int DropWatches(WatchDropMode mode)
    {
        lock (_gate)
        {
            var dropped = _watchers.ToArray();
            _watchers.Clear();
            foreach (var watcher in dropped)
            {
                if (mode == WatchDropMode.Abort)
                {
                    watcher.Abort();
                }
                else
                {
                    watcher.Close();
                }
            }

            SignalWatchersChanged();
            return dropped.Length;
        }
    }

    /// <summary>Discards the event history and paging snapshots: older resourceVersions now get 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Compact(_resourceVersion);
            _snapshots.Clear();
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the number of open watches.</summary>
    public async Task WaitForWatchCountAsync(Func<int, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(ReadyWatchCount()))
                {
                    return;
                }

                changed = _watchersChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private int ReadyWatchCount() => _watchers.Count(w => w.Ready);

    private void SignalWatchersChanged()
    {
        var previous = _watchersChanged;
        _watchersChanged = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
