using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Events;

/// <summary>
/// Records Events the way client-go's event recorder does, over one <see cref="KubeEventWriter"/> (one reporting
/// controller), so that a reconciler may record on every pass without flooding the API server or
/// <c>kubectl describe</c>:
/// <list type="bullet">
/// <item><b>Deduplicated.</b> An event identical to one recorded less than <see cref="EventRecorderOptions.SeriesWindow"/>
/// ago (same object, type, reason, action, related object and note) is not created again: the first one's
/// <c>series</c> is updated (count and last observed time; <c>kubectl describe</c> shows "(x3 over 2m)").</item>
/// <item><b>Rate-limited per object.</b> Each regarding object has a token bucket of <see cref="EventRecorderOptions.Burst"/>
/// events, refilled one every <see cref="EventRecorderOptions.RefillInterval"/> on the injected clock; creates and
/// series updates take a token, and what the bucket refuses is dropped (a repeat still counts, and the next update
/// that gets a token writes the whole count).</item>
/// <item><b>Bounded.</b> At most <see cref="EventRecorderOptions.MaxTracked"/> series and buckets are remembered.</item>
/// </list>
/// Best effort like the writer: nothing here throws for an API failure.
/// </summary>
public sealed partial class EventRecorder
{
    private readonly KubeEventWriter _writer;
    private readonly TimeProvider _time;
    private readonly EventRecorderOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Creates the recorder.</summary>
    /// <param name="writer">Writes the events (its reporting controller is this recorder's).</param>
    /// <param name="time">The clock for series windows and token buckets.</param>
    /// <param name="options">Window, burst, refill and memory bound.</param>
    /// <param name="logger">The logger.</param>
    public EventRecorder(KubeEventWriter writer, TimeProvider time, EventRecorderOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _writer = writer;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Records one event regarding an object (namespaced).</summary>
    /// <param name="regarding">The object the event is about.</param>
    /// <param name="related">A second object (a node), or null.</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">The reason (CamelCase).</param>
    /// <param name="action">What was done (CamelCase).</param>
    /// <param name="note">The human-readable note.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>What was done.</returns>
    public async Task<EventOutcome> RecordAsync(V1ObjectReference regarding, V1ObjectReference? related, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentNullException.ThrowIfNull(note);
        var now = _time.GetUtcNow();
        var objectKey = regarding.Uid is { Length: > 0 } uid ? uid : $"{regarding.Kind}/{regarding.NamespaceProperty}/{regarding.Name}";
        var key = string.Join('\u001f', objectKey, type, reason, action, related?.Kind, related?.Name, note);
        Series series;
        int count;
        string? name;
        lock (_gate)
        {
            Prune(now);
            var bucket = BucketOf(objectKey, now);
            if (_series.TryGetValue(key, out var existing) && now - existing.LastObserved <= _options.SeriesWindow)
            {
                existing.Count++;
                existing.LastObserved = now;
                if (existing.Name is null)
                {
                    return EventOutcome.Counted;
                }

                if (!bucket.TryTake())
                {
                    LogRateLimited(_logger, reason, objectKey);
                    return EventOutcome.RateLimited;
                }

                series = existing;
                count = existing.Count;
                name = existing.Name;
            }
            else
            {
                if (!bucket.TryTake())
                {
                    LogRateLimited(_logger, reason, objectKey);
                    return EventOutcome.RateLimited;
                }

                series = new Series(now);
                _series[key] = series;
                count = 1;
                name = null;
            }
        }

        if (name is not null)
        {
            return await _writer.UpdateSeriesAsync(regarding.NamespaceProperty, name, reason, count, now, cancellationToken).ConfigureAwait(false)
                ? EventOutcome.SeriesUpdated
                : EventOutcome.Failed;
        }

        var created = await _writer.CreateAsync(regarding, related, type, reason, action, note, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (created is { Length: > 0 })
            {
                series.Name = created;
            }
            else if (_series.TryGetValue(key, out var mine) && ReferenceEquals(mine, series))
            {
                // Not written: the next occurrence creates the event again.
                _series.Remove(key);
            }
        }

        return created is null ? EventOutcome.Failed : EventOutcome.Created;
    }

    private Bucket BucketOf(string objectKey, DateTimeOffset now)
    {
        if (!_buckets.TryGetValue(objectKey, out var bucket))
        {
            bucket = new Bucket(_options.Burst, now);
            _buckets[objectKey] = bucket;
        }

        bucket.Refill(now, _options.Burst, _options.RefillInterval);
        return bucket;
    }

    private void Prune(DateTimeOffset now)
    {
        if (_series.Count < _options.MaxTracked && _buckets.Count < _options.MaxTracked)
        {
            return;
        }

        foreach (var (k, s) in _series.Where(kv => now - kv.Value.LastObserved > _options.SeriesWindow).ToList())
        {
            _series.Remove(k);
        }

        // A bucket that is full again carries no state worth keeping.
        foreach (var (k, _) in _buckets.Where(kv => kv.Value.IsFullAt(now, _options.Burst, _options.RefillInterval)).ToList())
        {
            _buckets.Remove(k);
        }

        TrimOldest(_series, s => s.LastObserved);
        TrimOldest(_buckets, b => b.Touched);
    }

    private void TrimOldest<TValue>(Dictionary<string, TValue> map, Func<TValue, DateTimeOffset> seen)
    {
        var excess = map.Count - (_options.MaxTracked * 3 / 4);
        if (map.Count < _options.MaxTracked || excess <= 0)
        {
            return;
        }

        foreach (var k in map.OrderBy(kv => seen(kv.Value)).Take(excess).Select(kv => kv.Key).ToList())
        {
            map.Remove(k);
        }
    }

    /// <summary>One deduplicated event: how often it happened and the name it was created under.</summary>
    private sealed class Series(DateTimeOffset first)
    {
        public int Count { get; set; } = 1;

        public DateTimeOffset LastObserved { get; set; } = first;

        public string? Name { get; set; }
    }

    /// <summary>A token bucket on the injected clock.</summary>
    private sealed class Bucket(int burst, DateTimeOffset now)
    {
        private double _tokens = burst;

        public DateTimeOffset Touched { get; private set; } = now;

        public void Refill(DateTimeOffset now, int burst, TimeSpan interval)
        {
            if (now > Touched)
            {
                _tokens = Math.Min(burst, _tokens + ((now - Touched) / interval));
                Touched = now;
            }
        }

        public bool IsFullAt(DateTimeOffset now, int burst, TimeSpan interval) =>
            _tokens + ((now - Touched) / interval) >= burst;

        public bool TryTake()
        {
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
