using Lepton.Operator.Controllers.Queue;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.Controllers.Queue;

public sealed class RateLimitingQueueTests
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_WaitsExponentiallyThroughTheSameQueue()
    {
        using var sut = new RateLimitingQueue<string>("q", WorkQueueRateLimiters.CreateDefault<string>(_clock), _clock);
        var ct = Timeouts.Token();

        foreach (var expected in new[] { 5, 10, 20, 40 })
        {
            sut.AddRateLimited("a");
            Assert.Equal([TimeSpan.FromMilliseconds(expected)], _clock.PendingTimers());
            _clock.Advance(TimeSpan.FromMilliseconds(expected - 1));
            Assert.Equal(0, sut.Count);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            var item = await sut.GetAsync(ct);
            Assert.Equal("a", item.Key);
            sut.Done(item.Key);
        }

        Assert.Equal(4, sut.NumRequeues("a"));
    }

    [Fact]
    public async Task Forget_AfterFailures_ResetsTheBackoff()
    {
        using var sut = new RateLimitingQueue<string>("q", WorkQueueRateLimiters.CreateDefault<string>(_clock), _clock);
        sut.AddRateLimited("a");
        sut.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromSeconds(1));
        sut.Done((await sut.GetAsync(Timeouts.Token())).Key);

        sut.Forget("a");
        sut.AddRateLimited("a");

        Assert.Equal(1, sut.NumRequeues("a"));
        Assert.Equal([TimeSpan.FromMilliseconds(5)], _clock.PendingTimers());
    }

    [Fact]
    public async Task AddRateLimited_KeyBeingProcessed_IsNotHandedToASecondWorker()
    {
        using var sut = new RateLimitingQueue<string>("q", WorkQueueRateLimiters.CreateDefault<string>(_clock), _clock);
        sut.Add("a");
        var item = await sut.GetAsync(Timeouts.Token());

        sut.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = sut.GetAsync(Timeouts.Token());

        Assert.False(second.IsCompleted);
        sut.Done(item.Key);
        Assert.Equal("a", (await second).Key);
    }

    [Fact]
    public void AddRateLimited_WithMetrics_CountsRetries()
    {
        var metrics = TestMetrics.Create();
        using var sut = new RateLimitingQueue<string>("jobs", WorkQueueRateLimiters.CreateDefault<string>(_clock), _clock, metrics);

        sut.AddRateLimited("a");
        sut.AddRateLimited("b");

        Assert.Equal(2, metrics.WorkQueueRetries.WithLabels("jobs").Value);
    }
}
