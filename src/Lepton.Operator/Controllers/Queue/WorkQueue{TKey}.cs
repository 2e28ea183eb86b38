using Lepton.Operator.Metrics;

namespace Lepton.Operator.Controllers.Queue;

/// <summary>
/// client-go's work queue with its delaying layer: a FIFO of keys with a dirty set (a waiting key is
/// not queued twice), a processing set (a key is handed to one worker at a time; re-adds while it is
/// processed are held until <see cref="Done"/>), and timed adds on an injected <see cref="TimeProvider"/>.
/// Thread-safe.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
public class WorkQueue<TKey> : IWorkQueue<TKey>, IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly LinkedList<TaskCompletionSource<WorkQueueItem<TKey>>> _waiters = new();
    private readonly Dictionary<TKey, DateTimeOffset> _delayed = [];
    private readonly PriorityQueue<TKey, DateTimeOffset> _delayOrder = new();
    private readonly TimeProvider _timeProvider;
    private readonly OperatorMetrics? _metrics;
    private readonly ITimer _timer;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;
    private bool _disposed;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="name">The queue name (metrics label).</param>
    /// <param name="timeProvider">The clock for <see cref="AddAfter"/>.</param>
    /// <param name="metrics">Where depth and adds are counted; null for none.</param>
    public WorkQueue(string name, TimeProvider timeProvider, OperatorMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = name;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _timer = timeProvider.CreateTimer(static state => ((WorkQueue<TKey>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Gets the number of keys waiting for their <see cref="AddAfter"/> delay.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_gate)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>Gets the number of keys handed out and not yet <see cref="Done"/>.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            AddLocked(key);
        }
    }

    /// <inheritdoc />
    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var readyAt = _timeProvider.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing) && existing <= readyAt)
            {
                // Already due sooner: keep the earlier time, as client-go does.
                return;
            }

            _delayed[key] = readyAt;
            _delayOrder.Enqueue(key, readyAt);
            ArmTimerLocked();
        }
    }

    /// <inheritdoc />
    public ValueTask<WorkQueueItem<TKey>> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<WorkQueueItem<TKey>> waiter;
        LinkedListNode<TaskCompletionSource<WorkQueueItem<TKey>>> node;
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return ValueTask.FromResult(new WorkQueueItem<TKey>(TakeLocked(), false));
            }

            if (_shuttingDown)
            {
                return ValueTask.FromResult(new WorkQueueItem<TKey>(default!, true));
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource<WorkQueueItem<TKey>>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        return WaitAsync(waiter, node, cancellationToken);
    }

    /// <inheritdoc />
    public void Done(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_processing.Remove(key))
            {
                return;
            }

            if (_dirty.Contains(key))
            {
                _queue.Enqueue(key);
                DispatchLocked();
                ReportDepthLocked();
            }

            CheckDrainedLocked();
        }
    }

    /// <inheritdoc />
    public void ShutDown()
    {
        lock (_gate)
        {
            ShutDownLocked();
        }
    }

    /// <inheritdoc />
    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            ShutDownLocked();
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            CheckDrainedLocked();
            drained = _drained.Task;
        }

        return drained.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts the queue down and releases its timer.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ShutDownLocked();
        }

        _timer.Dispose();
    }

    private async ValueTask<WorkQueueItem<TKey>> WaitAsync(
        TaskCompletionSource<WorkQueueItem<TKey>> waiter,
        LinkedListNode<TaskCompletionSource<WorkQueueItem<TKey>>> node,
        CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is null)
                {
                    // Already handed a key: the worker gets it and must call Done.
                    return;
                }

                _waiters.Remove(node);
            }

            waiter.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        return await waiter.Task.ConfigureAwait(false);
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        _metrics?.WorkQueueAdded(Name);
        if (_processing.Contains(key))
        {
            // Held until Done: one key is never processed by two workers at once.
            return;
        }

        _queue.Enqueue(key);
        DispatchLocked();
        ReportDepthLocked();
    }

    private TKey TakeLocked()
    {
        var key = _queue.Dequeue();
        _processing.Add(key);
        _dirty.Remove(key);
        ReportDepthLocked();
        return key;
    }

    private void DispatchLocked()
    {
        while (_queue.Count > 0 && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult(new WorkQueueItem<TKey>(TakeLocked(), false));
        }
    }

    private void ShutDownLocked()
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        _delayed.Clear();
        _delayOrder.Clear();
        _timerDue = DateTimeOffset.MaxValue;
        if (!_disposed)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        // Waiters exist only while the queue is empty, so every one of them gets the shutdown marker.
        while (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult(new WorkQueueItem<TKey>(default!, true));
        }
    }

    private void CheckDrainedLocked()
    {
        if (_drained is not null && _shuttingDown && _queue.Count == 0 && _processing.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void ReportDepthLocked() => _metrics?.SetWorkQueueDepth(Name, _queue.Count);

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = DateTimeOffset.MaxValue;
            if (_shuttingDown)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            while (_delayOrder.TryPeek(out var key, out var readyAt) && readyAt <= now)
            {
                _delayOrder.Dequeue();
                if (_delayed.TryGetValue(key, out var current) && current == readyAt)
                {
                    _delayed.Remove(key);
                    AddLocked(key);
                }
            }

            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        // Drop entries superseded by an earlier AddAfter of the same key.
        while (_delayOrder.TryPeek(out var key, out var readyAt)
            && (!_delayed.TryGetValue(key, out var current) || current != readyAt))
        {
            _delayOrder.Dequeue();
        }

        if (!_delayOrder.TryPeek(out _, out var next) || next >= _timerDue || _disposed)
        {
            return;
        }

        _timerDue = next;
        var dueIn = next - _timeProvider.GetUtcNow();
        _timer.Change(dueIn > TimeSpan.Zero ? dueIn : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }
}
