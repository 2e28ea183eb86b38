using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which timers are armed, so a test can wait until the code
/// under test is actually waiting (a backoff, a requeue, a retry period) and then advance exactly that far.
/// No real sleeps.
/// </summary>
/// <remarks>
/// The bookkeeping entry of a timer is written <em>before</em> the inner fake timer is armed and corrected after it:
/// a timer that fires at once, or while another thread advances the clock, is removed by its own callback and never
/// left behind as a "ghost" that looks due now but will never fire. A ghost made <see cref="AdvanceUntilAsync"/> spin
/// on zero-length steps and starve the thread pool (CI has two cores); <see cref="Advance"/> also prunes one-shot
/// entries that should have fired and did not.
/// </remarks>
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
        var generation = tracked.Arm(dueTime, period);
        tracked.Inner = _fake.CreateTimer(
            s =>
            {
                tracked.OnFired();
                callback(s);
            },
            state,
            dueTime,
            period);
        tracked.Confirm(generation, dueTime);
        return tracked;
    }

    public void Advance(TimeSpan delta)
    {
        _fake.Advance(delta);
        PruneGhosts();
    }

    // The fake fires every timer due by the new time before Advance returns, and a tracked timer's callback removes
    // its entry first; a one-shot entry still due now is therefore one whose inner timer is not really due.
    private void PruneGhosts()
    {
        lock (_gate)
        {
            var now = GetUtcNow();
            if (_armed.RemoveWhere(t => t.IsOneShot && t.DueAt <= now && !t.Confirming) > 0)
            {
                Signal();
            }
        }
    }

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
        private long _generation;
        private long _firedGeneration = -1;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        public bool IsOneShot => _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero;

        /// <summary>True between <see cref="Arm"/> and <see cref="Confirm"/> (the inner timer is being set).</summary>
        public bool Confirming { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var generation = Arm(dueTime, period);
            var changed = Inner.Change(dueTime, period);
            Confirm(generation, dueTime);
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

        public long Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _generation++;
                Confirming = true;
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
                return _generation;
            }
        }

        /// <summary>
        /// After the inner timer is set: if the clock moved in between, the inner timer counts from the later time, so
        /// the entry is moved to at least that (never earlier than the real due time); if it fired already, nothing.
        /// </summary>
        public void Confirm(long generation, TimeSpan dueTime)
        {
            lock (clock._gate)
            {
                if (generation != _generation)
                {
                    return;
                }

                Confirming = false;
                if (dueTime == Timeout.InfiniteTimeSpan || _firedGeneration == generation)
                {
                    return;
                }

                var due = clock.GetUtcNow() + dueTime;
                if (due > DueAt || !clock._armed.Contains(this))
                {
                    DueAt = due;
                    clock._armed.Add(this);
                    clock.Signal();
                }
            }
        }

        public void OnFired()
        {
            lock (clock._gate)
            {
                _firedGeneration = _generation;
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
                _generation++;
                Confirming = false;
                clock._armed.Remove(this);
                clock.Signal();
            }
        }
    }
}
