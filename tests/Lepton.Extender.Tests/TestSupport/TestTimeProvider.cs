using Microsoft.Extensions.Time.Testing;

namespace Lepton.Extender.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when timers are armed, so that a test advances the
/// clock only once the code under test is waiting on it (a request's deadline, say): no sleeps.
/// </summary>
internal sealed class TestTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Armed)> _waiters = [];
    private readonly Dictionary<TimeSpan, int> _armed = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            var count = _armed[dueTime] = _armed.GetValueOrDefault(dueTime) + 1;
            foreach (var waiter in _waiters.Where(w => w.DueTime == dueTime && w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Armed.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers due after <paramref name="dueTime"/> have been created in all.</summary>
    public Task WhenTimersArmedAsync(TimeSpan dueTime, int count)
    {
        lock (_gate)
        {
            if (_armed.GetValueOrDefault(dueTime) >= count)
            {
                return Task.CompletedTask;
            }

            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, count, armed));
            return armed.Task;
        }
    }

    /// <summary>How many timers due after <paramref name="dueTime"/> have been created so far.</summary>
    public int TimersArmed(TimeSpan dueTime)
    {
        lock (_gate)
        {
            return _armed.GetValueOrDefault(dueTime);
        }
    }
}
