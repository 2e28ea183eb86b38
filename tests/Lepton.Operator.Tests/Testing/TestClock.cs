using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which timers are armed, so a test can wait until the code
/// under test is actually waiting (a backoff, a requeue, a retry period) and then advance exactly that far.
/// No real sleeps.
/// </summary>
public sealed class TestClock : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _fake;
    private readonly Lock _gate = new();
    private readonly HashSet<TrackedTimer> _armed = [];
    private TaskCompletionSource _changed = NewSignal();

    public TestClock(DateTimeOffset? start = null) => _fake = new FakeTimeProvider(start ?? Epoch);

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = _fake.CreateTimer(
            s =>
            {
                tracked.OnFired();
                callback(s);
            },
            state,
            dueTime,
            period);
        tracked.Arm(dueTime, period);
        return tracked;
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    /// <summary>The time left on each armed timer.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers()
    {
        lock (_gate)
        {
            var now = GetUtcNow();
            return [.. _armed.Select(t => t.DueAt - now).Order()];
        }
    }

    /// <summary>Completes once a timer with a remaining time matching <paramref name="predicate"/> is armed; returns that time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var now = GetUtcNow();
                foreach (var timer in _armed)
                {
                    var left = timer.DueAt - now;
                    if (predicate(left))
                    {
                        return left;
                    }
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes once <paramref name="count"/> armed timers match <paramref name="predicate"/>.</summary>
    public async Task WaitForTimersAsync(Func<TimeSpan, bool> predicate, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var now = GetUtcNow();
                if (_armed.Count(t => predicate(t.DueAt - now)) >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits for a timer due in exactly <paramref name="dueIn"/>, then advances the clock by it.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan dueIn, CancellationToken cancellationToken)
    {
        await WaitForTimerAsync(left => left == dueIn, cancellationToken);
        Advance(dueIn);
    }

    /// <summary>Waits for the shortest timer due within <paramref name="limit"/> and advances to it; returns the step.</summary>
    public async Task<TimeSpan> AdvanceToNextTimerAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        await WaitForTimerAsync(left => left <= limit, cancellationToken);
        TimeSpan step;
        lock (_gate)
        {
            var now = GetUtcNow();
            step = _armed.Select(t => t.DueAt - now).Where(left => left <= limit).Min();
        }

        Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
        return step;
    }

    /// <summary>
    /// Until <paramref name="done"/> completes, advances the clock to each timer due within
    /// <paramref name="limit"/> as soon as it is armed (drives backoff loops without knowing their steps).
    /// </summary>
    public async Task AdvanceUntilAsync(Task done, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (!done.IsCompleted)
            {
                var timer = WaitForTimerAsync(left => left <= limit, stop.Token);
                if (await Task.WhenAny(done, timer) == timer)
                {
                    var step = await timer;
                    Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class TrackedTimer(TestClock clock) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = Inner.Change(dueTime, period);
            Arm(dueTime, period);
            return changed;
        }

        public void Dispose()
        {
            Inner.Dispose();
            Disarm();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                }
                else
                {
                    DueAt = clock.GetUtcNow() + dueTime;
                    clock._armed.Add(this);
                }

                clock.Signal();
            }
        }

        public void OnFired()
        {
            lock (clock._gate)
            {
                if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
                {
                    clock._armed.Remove(this);
                }
                else
                {
                    DueAt = clock.GetUtcNow() + _period;
                }

                clock.Signal();
            }
        }

        private void Disarm()
        {
            lock (clock._gate)
            {
                clock._armed.Remove(this);
                clock.Signal();
            }
        }
    }
}
