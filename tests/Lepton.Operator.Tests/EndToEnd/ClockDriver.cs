using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// Keeps a <see cref="TestClock"/> moving through short waits (work-queue backoff, API retries, informer
/// reconnects: anything due within <see cref="Threshold"/>) so that a whole operator can run on fake time, while
/// long waits (gang timeouts, leases, maxRuntime) move only when the test advances the clock itself.
/// </summary>
public sealed class ClockDriver : IAsyncDisposable
{
    private readonly TestClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClockDriver(TestClock clock, TimeSpan? threshold = null)
    {
        _clock = clock;
        Threshold = threshold ?? TimeSpan.FromSeconds(1);
        _loop = Task.Run(RunAsync);
    }

    public TimeSpan Threshold { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var left = await _clock.WaitForTimerAsync(t => t <= Threshold, _stop.Token);
            _clock.Advance(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            await Task.Yield();
        }
    }
}
