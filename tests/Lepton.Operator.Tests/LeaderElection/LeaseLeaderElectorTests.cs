using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.LeaderElection;

public sealed class LeaseLeaderElectorTests : IAsyncDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    private readonly TestClock _clock = new();
    private readonly InMemoryLeaseLock _lease = new();
    private readonly Dictionary<string, OperatorMetrics> _metrics = [];
    private readonly List<(CancellationTokenSource Stop, Task Run)> _runs = [];

    [Fact]
    public async Task TryAcquireOrRenewAsync_NoLease_CreatesItWithThisHolder()
    {
        var sut = Elector("a");

        Assert.True(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));

        var record = _lease.Current!.Record;
        Assert.Equal(new LeaseRecord("a", 15, TestClock.Epoch, TestClock.Epoch, 0), record);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_HeldByAnotherWithOldRenewTime_WaitsLeaseDurationFromItsOwnObservation()
    {
        // The holder's clock is far behind: its renewTime is an hour old. Only the local observation counts.
        _lease.Set(new LeaseRecord("other", 15, TestClock.Epoch.AddHours(-1), TestClock.Epoch.AddHours(-1), 3));
        var sut = Elector("a");

        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
        _clock.Advance(LeaseDuration - TimeSpan.FromMilliseconds(1));
        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));

        Assert.Equal("a", _lease.Current!.Record.HolderIdentity);
        Assert.Equal(4, _lease.Current.Record.LeaseTransitions);
        Assert.Equal(_clock.GetUtcNow(), _lease.Current.Record.AcquireTime);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_HolderRenewsMeanwhile_RestartsTheWait()
    {
        _lease.Set(new LeaseRecord("other", 15, TestClock.Epoch, TestClock.Epoch, 0));
        var sut = Elector("a");
        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));

        _clock.Advance(TimeSpan.FromSeconds(10));
        _lease.Set(new LeaseRecord("other", 15, TestClock.Epoch, _clock.GetUtcNow(), 0));
        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
        _clock.Advance(TimeSpan.FromSeconds(14));
        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_OwnLease_RenewsKeepingAcquireTimeAndTransitions()
    {
        _lease.Set(new LeaseRecord("a", 15, TestClock.Epoch, TestClock.Epoch, 7));
        var sut = Elector("a");
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));

        Assert.Equal(new LeaseRecord("a", 15, TestClock.Epoch, TestClock.Epoch.AddSeconds(2), 7), _lease.Current!.Record);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_ConcurrentUpdateWins_Returns409AsFalse()
    {
        _lease.Set(new LeaseRecord(string.Empty, 1, TestClock.Epoch, TestClock.Epoch, 2));
        var sut = Elector("a");
        _lease.BeforeUpdate = () => _lease.Set(new LeaseRecord("b", 15, TestClock.Epoch, TestClock.Epoch, 3));

        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));

        Assert.Equal("b", _lease.Current!.Record.HolderIdentity);
        Assert.False(sut.IsLeader);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_LeaseCreatedConcurrently_Returns409AsFalse()
    {
        _lease.Set(new LeaseRecord("b", 15, TestClock.Epoch, TestClock.Epoch, 0));
        var sut = Elector("a", new SwitchableLeaseLock(_lease) { HideOnNextGet = true });

        Assert.False(await sut.TryAcquireOrRenewAsync(Timeouts.Token()));
        Assert.Equal("b", _lease.Current!.Record.HolderIdentity);
    }

    [Fact]
    public async Task ReleaseAsync_Holder_ClearsHolderWithOneSecondDurationAndKeepsTransitions()
    {
        _lease.Set(new LeaseRecord("a", 15, TestClock.Epoch, TestClock.Epoch, 5));
        var sut = Elector("a");
        await sut.TryAcquireOrRenewAsync(Timeouts.Token());
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True(await sut.ReleaseAsync(Timeouts.Token()));

        Assert.Equal(new LeaseRecord(string.Empty, 1, _clock.GetUtcNow(), _clock.GetUtcNow(), 5), _lease.Current!.Record);
        var other = Elector("b");
        Assert.True(await other.TryAcquireOrRenewAsync(Timeouts.Token()));
        Assert.Equal(6, _lease.Current.Record.LeaseTransitions);
    }

    [Fact]
    public async Task ReleaseAsync_NotHolder_LeavesTheLeaseAlone()
    {
        _lease.Set(new LeaseRecord("b", 15, TestClock.Epoch, TestClock.Epoch, 0));
        var sut = Elector("a");
        await sut.TryAcquireOrRenewAsync(Timeouts.Token());

        Assert.False(await sut.ReleaseAsync(Timeouts.Token()));
        Assert.Equal("b", _lease.Current!.Record.HolderIdentity);
    }

    [Fact]
    public async Task RunAsync_TwoReplicas_ExactlyOneLeadsAndRenewsEveryRetryPeriod()
    {
        var a = Elector("a");
        var b = Elector("b");
        Run(a);
        await a.WaitForLeadershipAsync(Timeouts.Token());
        Run(b);
        await _clock.WaitForTimersAsync(left => left == RetryPeriod, 2, Timeouts.Token());

        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(RetryPeriod);
            await _clock.WaitForTimersAsync(left => left == RetryPeriod, 2, Timeouts.Token());
            Assert.Equal(TestClock.Epoch + (RetryPeriod * i), _lease.Current!.Record.RenewTime);
        }

        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);
        Assert.Equal(TestClock.Epoch, _lease.Current!.Record.AcquireTime);
        Assert.Equal(0, _lease.Current.Record.LeaseTransitions);
        Assert.Equal(1, Metrics("a").Leader.Value);
        Assert.Equal(0, Metrics("b").Leader.Value);
        Assert.Equal(["a"], Metrics("a").LeaderInfo.GetAllLabelValues().Select(l => l.Single()));
    }

    [Fact]
    public async Task RunAsync_LeaderLosesTheApiServer_StepsDownAfterRenewDeadlineAndTheOtherTakesOverAfterLeaseDuration()
    {
        var aLock = new SwitchableLeaseLock(_lease);
        var a = Elector("a", aLock);
        var b = Elector("b");
        var aLost = new TaskCompletionSource<DateTimeOffset>();
        a.LeadershipChanged += (_, e) =>
        {
            if (!e.IsLeader)
            {
                aLost.TrySetResult(_clock.GetUtcNow());
            }
        };
        Run(a);
        await a.WaitForLeadershipAsync(Timeouts.Token());
        Run(b);
        await _clock.WaitForTimersAsync(left => left == RetryPeriod, 2, Timeouts.Token());

        aLock.Down = true;
        await StepUntilAsync(() => b.IsLeader, timers: 2);
        var takeover = _clock.GetUtcNow();

        // a's last successful write was its acquisition at 0 s; its renew round from 2 s gives up at 12 s;
        // b observed that write at 0 s and may take over from 15 s, at its retry at 16 s.
        Assert.Equal(TestClock.Epoch.AddSeconds(12), await aLost.Task.WaitAsync(Timeouts.Token()));
        Assert.Equal(TestClock.Epoch.AddSeconds(16), takeover);
        Assert.False(a.IsLeader);
        Assert.Equal("b", _lease.Current!.Record.HolderIdentity);
        Assert.Equal(1, _lease.Current.Record.LeaseTransitions);
    }

    [Fact]
    public async Task RunAsync_LeaderStopsWithoutRelease_OtherTakesOverOnlyAfterLeaseDuration()
    {
        var a = Elector("a", releaseOnCancel: false);
        var b = Elector("b");
        var aRun = Run(a);
        await a.WaitForLeadershipAsync(Timeouts.Token());
        Run(b);
        await _clock.WaitForTimersAsync(left => left == RetryPeriod, 2, Timeouts.Token());

        await aRun.Stop.CancelAsync();
        await aRun.Run.WaitAsync(Timeouts.Token());
        await StepUntilAsync(() => b.IsLeader, timers: 1);

        Assert.Equal(TestClock.Epoch + TimeSpan.FromSeconds(16), _clock.GetUtcNow());
        Assert.Equal(1, _lease.Current!.Record.LeaseTransitions);
    }

    [Fact]
    public async Task RunAsync_LeaderShutsDown_ReleasesSoTheOtherTakesOverAtItsNextRetry()
    {
        var a = Elector("a");
        var b = Elector("b");
        var aRun = Run(a);
        await a.WaitForLeadershipAsync(Timeouts.Token());
        Run(b);
        await _clock.WaitForTimersAsync(left => left == RetryPeriod, 2, Timeouts.Token());

        await aRun.Stop.CancelAsync();
        await aRun.Run.WaitAsync(Timeouts.Token());
        Assert.Equal(string.Empty, _lease.Current!.Record.HolderIdentity);
        _clock.Advance(RetryPeriod);
        await b.WaitForLeadershipAsync(Timeouts.Token());

        Assert.Equal(TestClock.Epoch + RetryPeriod, _lease.Current.Record.AcquireTime);
        Assert.Equal(1, _lease.Current.Record.LeaseTransitions);
        Assert.False(a.IsLeader);
    }

    [Fact]
    public async Task WaitForLeadershipAsync_LeadershipLost_CancelsTheTermToken()
    {
        var aLock = new SwitchableLeaseLock(_lease);
        var a = Elector("a", aLock);
        Run(a);
        var term = await a.WaitForLeadershipAsync(Timeouts.Token());

        aLock.Down = true;
        await StepUntilAsync(() => term.IsCancellationRequested, timers: 1);
        var next = a.WaitForLeadershipAsync(Timeouts.Token());

        Assert.False(next.IsCompleted);
        aLock.Down = false;
        await StepUntilAsync(() => a.IsLeader, timers: 1);
        Assert.False((await next).IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_SecondTermAfterLoss_IncrementsNothingWhenTheSameReplicaReacquires()
    {
        var aLock = new SwitchableLeaseLock(_lease);
        var a = Elector("a", aLock);
        var changes = new List<bool>();
        a.LeadershipChanged += (_, e) => changes.Add(e.IsLeader);
        Run(a);
        await a.WaitForLeadershipAsync(Timeouts.Token());

        aLock.Down = true;
        await StepUntilAsync(() => !a.IsLeader, timers: 1);
        aLock.Down = false;
        await StepUntilAsync(() => a.IsLeader, timers: 1);

        Assert.Equal([true, false, true], changes);
        Assert.Equal(0, _lease.Current!.Record.LeaseTransitions);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, run) in _runs)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Timeouts.Token());
            stop.Dispose();
        }
    }

    /// <summary>
    /// Advances one retry period at a time, each time only after every running elector has armed its next
    /// timer (so it is idle), until <paramref name="condition"/> holds.
    /// </summary>
    private async Task StepUntilAsync(Func<bool> condition, int timers)
    {
        var ct = Timeouts.Token();
        while (true)
        {
            await _clock.WaitForTimersAsync(left => left == RetryPeriod, timers, ct);
            if (condition())
            {
                return;
            }

            _clock.Advance(RetryPeriod);
        }
    }

    private LeaseLeaderElector Elector(string identity, ILeaseLock? leaseLock = null, bool releaseOnCancel = true) => new(
        leaseLock ?? _lease,
        new LeaderElectionOptions { Identity = identity, Randomizer = () => 0, ReleaseOnCancel = releaseOnCancel },
        _clock,
        NullLogger<LeaseLeaderElector>.Instance,
        Metrics(identity));

    // One registry per replica, as in production: lepton_leader has no identity label.
    private OperatorMetrics Metrics(string identity)
    {
        lock (_metrics)
        {
            if (!_metrics.TryGetValue(identity, out var metrics))
            {
                metrics = TestMetrics.Create();
                _metrics[identity] = metrics;
            }

            return metrics;
        }
    }

    private (CancellationTokenSource Stop, Task Run) Run(LeaseLeaderElector elector)
    {
        var stop = new CancellationTokenSource();
        var run = (stop, Task.Run(() => elector.RunAsync(stop.Token)));
        _runs.Add(run);
        return run;
    }
}
