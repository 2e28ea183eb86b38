using Lepton.Operator.Controllers.Queue;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.Controllers.Queue;

public sealed class WorkQueueTests
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task Add_SameKeyTwiceWhileQueued_HandsItOutOnce()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.Add("a");
        sut.Add("a");
        sut.Add("b");

        Assert.Equal(2, sut.Count);
        Assert.Equal("a", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.Equal("b", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_HeldUntilDoneThenHandedOutAgain()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.Add("a");
        var first = await sut.GetAsync(Timeouts.Token());

        sut.Add("a");
        var second = sut.GetAsync(Timeouts.Token());

        Assert.Equal(0, sut.Count);
        Assert.False(second.IsCompleted);
        sut.Done(first.Key);
        Assert.Equal("a", (await second).Key);
    }

    [Fact]
    public async Task GetAsync_ManyWorkersAndReAdds_NeverProcessesOneKeyConcurrently()
    {
        using var sut = new WorkQueue<int>("q", _clock);
        var inFlight = new int[5];
        var overlaps = 0;
        var processed = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 5; i++)
        {
            sut.Add(i);
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var item = await sut.GetAsync(Timeouts.Token());
                if (item.IsShutdown)
                {
                    return;
                }

                if (Interlocked.Increment(ref inFlight[item.Key]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                if (Interlocked.Increment(ref processed) < 400)
                {
                    sut.Add(item.Key);
                    sut.Add((item.Key + 1) % 5);
                }
                else
                {
                    enough.TrySetResult();
                }

                Interlocked.Decrement(ref inFlight[item.Key]);
                sut.Done(item.Key);
            }
        })).ToArray();

        await enough.Task.WaitAsync(Timeouts.Token());
        await sut.ShutDownWithDrainAsync(Timeouts.Token());
        await Task.WhenAll(workers).WaitAsync(Timeouts.Token());

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task AddAfter_BeforeDelayElapses_KeyIsNotAvailable()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.AddAfter("a", TimeSpan.FromSeconds(10));
        var get = sut.GetAsync(Timeouts.Token());

        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(get.IsCompleted);
        Assert.Equal(1, sut.DelayedCount);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", (await get).Key);
        Assert.Equal(0, sut.DelayedCount);
    }

    [Fact]
    public async Task AddAfter_SameKeyTwice_KeepsTheEarlierTime()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.AddAfter("a", TimeSpan.FromSeconds(10));
        sut.AddAfter("a", TimeSpan.FromSeconds(2));
        sut.AddAfter("a", TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("a", (await sut.GetAsync(Timeouts.Token())).Key);
        sut.Done("a");

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public async Task AddAfter_SeveralKeys_ReleasedInDueOrder()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.AddAfter("late", TimeSpan.FromSeconds(3));
        sut.AddAfter("early", TimeSpan.FromSeconds(1));
        sut.AddAfter("middle", TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, sut.Count);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("early", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.Equal("middle", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.Equal("late", (await sut.GetAsync(Timeouts.Token())).Key);
    }

    [Fact]
    public async Task AddAfter_ZeroDelay_AddsAtOnce()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.AddAfter("a", TimeSpan.Zero);

        Assert.Equal("a", (await sut.GetAsync(Timeouts.Token())).Key);
    }

    [Fact]
    public async Task GetAsync_CancelledWhileWaiting_DoesNotLoseTheNextKey()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        using var cts = new CancellationTokenSource();
        var waiting = sut.GetAsync(cts.Token);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        sut.Add("a");

        Assert.Equal("a", (await sut.GetAsync(Timeouts.Token())).Key);
    }

    [Fact]
    public async Task ShutDown_WithQueuedKeys_DrainsThemThenReportsShutdown()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.Add("a");
        sut.Add("b");

        sut.ShutDown();
        sut.Add("c");

        Assert.Equal("a", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.Equal("b", (await sut.GetAsync(Timeouts.Token())).Key);
        Assert.True((await sut.GetAsync(Timeouts.Token())).IsShutdown);
    }

    [Fact]
    public async Task ShutDown_WorkerWaiting_WakesItWithShutdown()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        var waiting = sut.GetAsync(Timeouts.Token());

        sut.ShutDown();

        Assert.True((await waiting).IsShutdown);
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_KeyInProcessing_CompletesOnlyAfterDone()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.Add("a");
        sut.Add("b");
        var a = await sut.GetAsync(Timeouts.Token());

        var drained = sut.ShutDownWithDrainAsync(Timeouts.Token());
        var b = await sut.GetAsync(Timeouts.Token());
        sut.Done(a.Key);
        Assert.False(drained.IsCompleted);
        sut.Done(b.Key);

        await drained;
        Assert.True(sut.IsShuttingDown);
    }

    [Fact]
    public void ShutDown_DelayedKeys_AreDropped()
    {
        using var sut = new WorkQueue<string>("q", _clock);
        sut.AddAfter("a", TimeSpan.FromSeconds(1));

        sut.ShutDown();
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.DelayedCount);
    }

    [Fact]
    public async Task Add_WithMetrics_CountsAddsAndReportsDepth()
    {
        var metrics = TestMetrics.Create();
        using var sut = new WorkQueue<string>("jobs", _clock, metrics);

        sut.Add("a");
        sut.Add("a");
        sut.Add("b");
        Assert.Equal(2, metrics.WorkQueueAdds.WithLabels("jobs").Value);
        Assert.Equal(2, metrics.WorkQueueDepth.WithLabels("jobs").Value);

        await sut.GetAsync(Timeouts.Token());
        Assert.Equal(1, metrics.WorkQueueDepth.WithLabels("jobs").Value);
    }
}
