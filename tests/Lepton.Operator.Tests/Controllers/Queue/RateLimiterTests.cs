using Lepton.Operator.Controllers.Queue;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.Controllers.Queue;

public sealed class RateLimiterTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2_560)]
    [InlineData(18, 655_360)]
    [InlineData(19, 1_000_000)]
    [InlineData(100, 1_000_000)]
    [InlineData(5000, 1_000_000)]
    public void When_NthFailure_DoublesFrom5MillisecondsCappedAt1000Seconds(int failure, int expectedMilliseconds)
    {
        var sut = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var delay = TimeSpan.Zero;
        for (var i = 0; i < failure; i++)
        {
            delay = sut.When("a");
        }

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), delay);
    }

    [Fact]
    public void When_DifferentKeys_BackOffIndependently()
    {
        var sut = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        sut.When("a");
        sut.When("a");

        Assert.Equal(TimeSpan.FromMilliseconds(5), sut.When("b"));
        Assert.Equal(2, sut.NumRequeues("a"));
    }

    [Fact]
    public void Forget_AfterFailures_StartsAgainAtBaseDelay()
    {
        var sut = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        sut.When("a");
        sut.When("a");

        sut.Forget("a");

        Assert.Equal(0, sut.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), sut.When("a"));
    }

    [Fact]
    public void When_BucketOf100At10Qps_BurstPassesThenOnePerTenthOfASecond()
    {
        var clock = new TestClock();
        var sut = new BucketRateLimiter<string>(10, 100, clock);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, sut.When("k" + i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), sut.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), sut.When("y"));

        // 100 ms refills one token of the debt.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), sut.When("z"));

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.Zero, sut.When("w"));
    }

    [Fact]
    public void When_Default_TakesTheLongerOfPerKeyAndGlobalLimits()
    {
        var clock = new TestClock();
        var sut = WorkQueueRateLimiters.CreateDefault<string>(clock);

        // 100 different keys drain the bucket at 5 ms each...
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(5), sut.When("k" + i));
        }

        // ...then the global bucket dominates a first failure...
        Assert.Equal(TimeSpan.FromMilliseconds(100), sut.When("fresh"));

        // ...and a long per-key backoff dominates the bucket.
        clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 10; i++)
        {
            sut.When("hot");
        }

        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), sut.When("hot"));
    }
}
