using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Metrics;
using Lepton.Operator.Resilience;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>
/// client-go's reflector and shared informer in one loop:
/// <list type="number">
/// <item>LIST in pages (<c>limit</c>/<c>continue</c>) and replace the cache, emitting Added/Updated/Deleted for
/// what differs from the cache (after a 410 this synthesizes the deletes missed while disconnected);</item>
/// <item>WATCH from the list's resourceVersion with bookmarks and a jittered server-side timeout, applying each
/// event to the cache and then to the handlers, remembering the last resourceVersion seen (bookmarks included);</item>
/// <item>when the watch ends, resume from that resourceVersion; on 410 Gone / Expired (HTTP status or ERROR
/// event), relist; on transport and API errors, back off (jittered exponential on the injected clock) and retry.</item>
/// </list>
/// Anything else (a bug, a failing handler) escapes <see cref="RunAsync"/>, so the host stops instead of
/// keeping a dead watch.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed partial class ResourceInformer<T> : IResourceInformer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    private readonly IListerWatcher<T> _listerWatcher;
    private readonly InformerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly Func<T, T> _transform;
    private readonly Func<double> _random;
    private readonly ObjectCache<T> _cache = new();
    private readonly Lock _dispatchGate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<ResourceEvent<T>>[] _handlers = [];
    private int _firstCount;
    private int _running;
    private string? _lastSyncResourceVersion;
    private readonly Lock _relistGate = new();
    private TaskCompletionSource? _relist;
    private CancellationTokenSource? _watchInterrupt;
    private readonly Lock _healthGate = new();
    private DateTimeOffset? _failingSince;
    private string? _lastError;

    /// <summary>Creates the informer; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="listerWatcher">The API calls.</param>
    /// <param name="options">Paging, watch timeout, backoff and stripping settings.</param>
    /// <param name="timeProvider">The clock for backoff and watch deadlines.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">Where relists and watch restarts are counted; null for none.</param>
    /// <param name="transform">
    /// Applied to every object before it is cached; null uses <see cref="DefaultTransform"/>.
    /// </param>
    public ResourceInformer(
        IListerWatcher<T> listerWatcher,
        InformerOptions options,
        TimeProvider timeProvider,
        ILogger<ResourceInformer<T>> logger,
        OperatorMetrics? metrics = null,
        Func<T, T>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(listerWatcher);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _listerWatcher = listerWatcher;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _transform = transform ?? DefaultTransform(options);
        _random = options.Randomizer ?? Random.Shared.NextDouble;
    }

    /// <inheritdoc />
    public string ResourceName => _listerWatcher.ResourceName;

    /// <summary>
    /// The transform used when none is given: <see cref="CacheTransforms.Strip{T}"/> (managedFields and
    /// large annotations), then for pods and nodes <see cref="CacheTransforms.SlimPod"/> and
    /// <see cref="CacheTransforms.SlimPodStatus"/> /
    /// <see cref="CacheTransforms.StripNodeImages"/> (if <see cref="InformerOptions.SlimWellKnownTypes"/>),
    /// then <see cref="CacheTransforms.Deduplicate{T}"/> (if enabled). Compose a custom
    /// transform with it, e.g. <c>o =&gt; CacheTransforms.StripNodeImages(defaults(o))</c>.
    /// </summary>
    /// <param name="options">The informer options.</param>
    /// <returns>A new transform (it keeps a pool: one per informer).</returns>
    public static Func<T, T> DefaultTransform(InformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stripMetadata = CacheTransforms.Strip<T>(options.StripManagedFields, options.StrippedAnnotations);
        Func<T, T> strip = !options.SlimWellKnownTypes
            ? stripMetadata
            : typeof(T) == typeof(V1Pod)
                ? obj => (T)(object)CacheTransforms.SlimPodStatus(CacheTransforms.SlimPod((V1Pod)(object)stripMetadata(obj)))
                : typeof(T) == typeof(V1Node)
                    ? obj => (T)(object)CacheTransforms.StripNodeImages((V1Node)(object)stripMetadata(obj))
                    : stripMetadata;
        if (!options.DeduplicateStrings)
        {
            return strip;
        }

        var deduplicate = CacheTransforms.Deduplicate<T>(options.StringPoolCapacity);
        return obj => deduplicate(strip(obj));
    }

    /// <inheritdoc />
    public IObjectCache<T> Cache => _cache;

    /// <inheritdoc />
    public bool HasSynced => _cache.HasSynced;

    /// <summary>Gets the resourceVersion of the last LIST, event or bookmark applied.</summary>
    public string? LastSyncResourceVersion => Volatile.Read(ref _lastSyncResourceVersion);

    /// <inheritdoc />
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (_healthGate)
            {
                return _failingSince;
            }
        }
    }

    /// <inheritdoc />
    public string? LastError
    {
        get
        {
            lock (_healthGate)
            {
                return _lastError;
            }
        }
    }

    /// <inheritdoc />
    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task RelistAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_relistGate)
        {
            _relist ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _relist.Task;
            _watchInterrupt?.Cancel();
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action<ResourceEvent<T>> handler) => Add(handler, first: false);

    /// <inheritdoc />
    public IDisposable SubscribeFirst(Action<ResourceEvent<T>> handler) => Add(handler, first: true);

    private Subscription Add(Action<ResourceEvent<T>> handler, bool first)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatchGate)
        {
            foreach (var obj in _cache.List())
            {
                Invoke(handler, new ResourceEvent<T>(ResourceEventType.Added, null, obj));
            }

            if (first)
            {
                var firsts = _firstCount++;
                _handlers = [.. _handlers[..firsts], handler, .. _handlers[firsts..]];
            }
            else
            {
                _handlers = [.. _handlers, handler];
            }
        }

        return new Subscription(this, handler);
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException($"The {ResourceName} informer is already running.");
        }

        try
        {
            await ListAndWatchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(cancellationToken);
            throw;
        }
        catch (Exception e)
        {
            LogFailed(_logger, ResourceName, e);
            _ready.TrySetException(e);
            throw;
        }
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, _random);
        string? resourceVersion = null;
        var lists = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                TaskCompletionSource? relist;
                lock (_relistGate)
                {
                    // A relist asked for before this LIST starts is satisfied by it; one asked for
                    // while it runs gets the next (its list must be read after the request).
                    relist = _relist;
                    _relist = null;
                }

                if (resourceVersion is null || relist is not null)
                {
                    if (lists++ > 0)
                    {
                        _metrics?.InformerRelisted(ResourceName);
                    }

                    try
                    {
                        resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (relist is not null)
                    {
                        lock (_relistGate)
                        {
                            // Not satisfied: the next LIST (after the retry's backoff) answers it.
                            _relist ??= relist;
                            if (!ReferenceEquals(_relist, relist))
                            {
                                _relist.Task.ContinueWith(t => relist.TrySetFromTask(t), TaskScheduler.Default);
                            }
                        }

                        resourceVersion = null;
                        throw;
                    }

                    relist?.TrySetResult();
                    backoff.Reset();
                }

                var (lastVersion, expired, healthy) = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                _metrics?.InformerWatchRestarted(ResourceName);
                resourceVersion = lastVersion;
                if (expired)
                {
                    LogExpired(_logger, ResourceName, lastVersion);
                    resourceVersion = null;
                }
                else if (healthy)
                {
                    backoff.Reset();
                }
                else
                {
                    // The server ended the watch at once without events: do not hammer it.
                    await DelayAsync(backoff.Next(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (IsRecoverable(e, cancellationToken))
            {
                MarkFailing(e);
                if (resourceVersion is not null)
                {
                    // Resume after the last event applied before the failure, never from an older version.
                    resourceVersion = LastSyncResourceVersion;
                }

                if (KubeApiErrors.IsGone(e))
                {
                    // 410 on a watch start or an expired continue token: a fresh LIST fixes it, no wait needed.
                    LogExpired(_logger, ResourceName, resourceVersion);
                    resourceVersion = null;
                    continue;
                }

                var delay = backoff.Next();
                LogRetrying(_logger, ResourceName, resourceVersion is null ? "list" : "watch", delay, e);
                if (resourceVersion is not null)
                {
                    _metrics?.InformerWatchRestarted(ResourceName);
                }

                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        var pages = 0;
        do
        {
            var page = await _listerWatcher.ListAsync(new ListPageRequest(_options.PageSize, continueToken), CacheForm, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);

            resourceVersion = page.ResourceVersion;
            continueToken = page.Continue;
            pages++;
        }
        while (!string.IsNullOrEmpty(continueToken));

        lock (_dispatchGate)
        {
            var changes = _cache.Replace(items);
            Volatile.Write(ref _lastSyncResourceVersion, resourceVersion);
            var synced = _cache.HasSynced;
            foreach (var (old, current) in changes)
            {
                Dispatch(old is null
                    ? new ResourceEvent<T>(ResourceEventType.Added, null, current, synced)
                    : current is null
                        ? new ResourceEvent<T>(ResourceEventType.Deleted, old, null, true)
                        : new ResourceEvent<T>(ResourceEventType.Updated, old, current, true));
            }

            _cache.MarkSynced();
            MarkHealthy();
            LogListed(_logger, ResourceName, items.Count, pages, resourceVersion, changes.Count);
        }

        _ready.TrySetResult();
        return resourceVersion;
    }

    /// <summary>
    /// On a relist, the cached instance of an object whose resourceVersion has not changed (the API server's
    /// guarantee that the object is the same), so that the listed copy dies with its page instead of the whole
    /// cache existing twice until <see cref="ObjectCache{T}.Replace"/> (a new leader relists every informer:
    /// 50,000 pods listed again would double the cache at the process peak). Null when the object is new or changed.
    /// </summary>
    private T CacheForm(T listed) => CachedIfUnchanged(listed) ?? _transform(listed);

    private T? CachedIfUnchanged(T listed) =>
        listed.Metadata?.ResourceVersion is { Length: > 0 } version
        && _cache.Get(NamespacedName.Of(listed)) is { } cached
        && cached.Metadata.ResourceVersion == version
            ? cached
            : null;

    private async Task<(string ResourceVersion, bool Expired, bool Healthy)> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Floor(_options.MinWatchTimeout.TotalSeconds * (1 + _random())));
        var started = _timeProvider.GetTimestamp();
        var events = 0;
        using var deadline = new CancellationTokenSource(timeout + _options.WatchTimeoutGrace, _timeProvider);
        using var interrupt = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, interrupt.Token);
        lock (_relistGate)
        {
            _watchInterrupt = interrupt;
            if (_relist is not null)
            {
                interrupt.Cancel();
            }
        }
        LogWatching(_logger, ResourceName, resourceVersion, timeout);

        try
        {
            await foreach (var e in _listerWatcher.WatchAsync(new WatchRequest(resourceVersion, timeout) { OnConnected = MarkHealthy }, linked.Token).ConfigureAwait(false))
            {
                events++;
                if (events == 1)
                {
                    MarkHealthy();
                }

                switch (e.Type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        Apply(_transform(e.Object ?? throw new InvalidDataException("A watch event has no object.")));
                        break;
                    case WatchEventType.Deleted:
                        Delete(e.Object ?? throw new InvalidDataException("A watch event has no object."));
                        break;
                    case WatchEventType.Bookmark:
                        break;
                    case WatchEventType.Error:
                        if (e.Status is { Code: 410 } or { Reason: "Expired" or "Gone" })
                        {
                            return (resourceVersion, true, true);
                        }

                        throw new KubernetesException(e.Status ?? new V1Status { Message = "ERROR event without a Status" });
                    default:
                        throw new InvalidDataException($"Unexpected watch event type {e.Type}.");
                }

                if (!string.IsNullOrEmpty(e.ResourceVersion))
                {
                    resourceVersion = e.ResourceVersion;
                    Volatile.Write(ref _lastSyncResourceVersion, resourceVersion);
                }
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // RelistAsync: the loop lists again at once.
            return (resourceVersion, false, true);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogWatchAbandoned(_logger, ResourceName, resourceVersion);
        }
        finally
        {
            lock (_relistGate)
            {
                _watchInterrupt = null;
            }
        }

        var healthy = events > 0 || _timeProvider.GetElapsedTime(started) >= ShortWatch;
        LogWatchEnded(_logger, ResourceName, resourceVersion, events);
        return (resourceVersion, false, healthy);
    }

    private void Apply(T obj)
    {
        lock (_dispatchGate)
        {
            var old = _cache.Upsert(obj);
            if (old is null)
            {
                Dispatch(new ResourceEvent<T>(ResourceEventType.Added, null, obj));
            }
            else if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
            {
                Dispatch(new ResourceEvent<T>(ResourceEventType.Updated, old, obj));
            }
        }
    }

    private void Delete(T obj)
    {
        lock (_dispatchGate)
        {
            var old = _cache.Remove(NamespacedName.Of(obj));
            if (old is not null)
            {
                Dispatch(new ResourceEvent<T>(ResourceEventType.Deleted, _transform(obj), null));
            }
        }
    }

    private void Dispatch(ResourceEvent<T> e)
    {
        foreach (var handler in _handlers)
        {
            Invoke(handler, e);
        }
    }

    private void Invoke(Action<ResourceEvent<T>> handler, ResourceEvent<T> e)
    {
        try
        {
            handler(e);
        }
        catch (Exception ex)
        {
            // Not recoverable by design: a handler bug must not look like a transport error.
            throw new InvalidOperationException($"An event handler of the {ResourceName} informer failed on {e.Type} {NamespacedName.Of(e.Object)}.", ex);
        }
    }

    private void MarkFailing(Exception e)
    {
        lock (_healthGate)
        {
            _failingSince ??= _timeProvider.GetUtcNow();
            _lastError = e.Message.Split('\n')[0];
        }
    }

    private void MarkHealthy()
    {
        lock (_healthGate)
        {
            _failingSince = null;
            _lastError = null;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _timeProvider, cancellationToken);

    private static bool IsRecoverable(Exception e, CancellationToken cancellationToken)
        => !cancellationToken.IsCancellationRequested
            && (KubeApiErrors.IsTransient(e, cancellationToken)
                || KubeApiErrors.StatusCode(e) is not null
                || e is KubernetesException or System.Text.Json.JsonException or InvalidDataException);

    private void Unsubscribe(Action<ResourceEvent<T>> handler)
    {
        lock (_dispatchGate)
        {
            var at = Array.IndexOf(_handlers, handler);
            if (at < 0)
            {
                return;
            }

            if (at < _firstCount)
            {
                _firstCount--;
            }

            _handlers = [.. _handlers[..at], .. _handlers[(at + 1)..]];
        }
    }

    private sealed class Subscription(ResourceInformer<T> owner, Action<ResourceEvent<T>> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
