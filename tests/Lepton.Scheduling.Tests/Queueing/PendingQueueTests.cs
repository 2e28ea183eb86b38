using Lepton.Scheduling.Queueing;

namespace Lepton.Scheduling.Tests.Queueing;

public class PendingQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static QueueKey Key(int priority = 0, double submittedSeconds = 0, double order = 0, long tiebreak = 0) =>
        new(priority, T0.AddSeconds(submittedSeconds), order, tiebreak);

    [Fact]
    public void InOrder_ShortestKeyFirst_ThenSubmission()
    {
        var sut = new PendingQueue<string>();
        sut.Add("long", Key(submittedSeconds: 0, order: 7200));
        sut.Add("short-late", Key(submittedSeconds: 20, order: 60));
        sut.Add("short-early", Key(submittedSeconds: 10, order: 60));

        Assert.Equal(["short-early", "short-late", "long"], sut.InOrder());
    }

    [Fact]
    public void InOrder_PriorityFirst_HigherPriorityBeforeShorterKey()
    {
        var sut = new PendingQueue<string>(priorityFirst: true);
        sut.Add("low-short", Key(priority: 0, order: 1));
        sut.Add("high-long", Key(priority: 2, order: 1000));

        Assert.Equal(["high-long", "low-short"], sut.InOrder());
    }

    [Fact]
    public void InOrder_PriorityIgnored_ShorterKeyFirst()
    {
        var sut = new PendingQueue<string>(priorityFirst: false);
        sut.Add("low-short", Key(priority: 0, order: 1));
        sut.Add("high-long", Key(priority: 2, order: 1000));

        Assert.Equal(["low-short", "high-long"], sut.InOrder());
    }

    [Fact]
    public void Promote_WaitPastMaxOfBoundAndMultiple_GoesToTheHead()
    {
        // Bound 100 s, 2 x predicted: "long" (predicted 1,000 s) is promoted at 2,000 s; "mid" (predicted 30 s) at 100 s.
        var sut = new PendingQueue<string>(new StarvationGuard(TimeSpan.FromSeconds(100), 2));
        sut.Add("long", Key(submittedSeconds: 0, order: 1000));
        sut.Add("mid", Key(submittedSeconds: 0, order: 30));
        sut.Add("short", Key(submittedSeconds: 1950, order: 10));

        Assert.Equal(0, sut.Promote(T0.AddSeconds(99)));
        Assert.Equal(["short", "mid", "long"], sut.InOrder());
        Assert.Equal(1, sut.Promote(T0.AddSeconds(100)));
        Assert.Equal(1, sut.Promote(T0.AddSeconds(2000)));

        Assert.Equal(["mid", "long", "short"], sut.InOrder()); // promoted ones in promotion order, then the rest
        Assert.Equal(2, sut.PromotedTotal);
    }

    [Fact]
    public void Promote_UnknownKey_PromotedAfterTheBoundAlone()
    {
        var sut = new PendingQueue<string>(new StarvationGuard(TimeSpan.FromSeconds(100), 8));
        sut.Add("unknown", Key(order: double.PositiveInfinity));
        sut.Add("known", Key(submittedSeconds: 50, order: 5000));
        Assert.Equal(["known", "unknown"], sut.InOrder());

        sut.Promote(T0.AddSeconds(100));

        Assert.Equal(["unknown", "known"], sut.InOrder());
    }

    [Fact]
    public void Promote_RemovedJob_IsNotPromotedOrCounted()
    {
        var sut = new PendingQueue<string>(new StarvationGuard(TimeSpan.FromSeconds(10), 1));
        sut.Add("gone", Key(order: 5));
        sut.Remove("gone");

        Assert.Equal(0, sut.Promote(T0.AddSeconds(60)));
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public void Promote_PriorityStillFirst_PromotedLowPriorityAfterHigh()
    {
        var sut = new PendingQueue<string>(new StarvationGuard(TimeSpan.FromSeconds(10), 1), priorityFirst: true);
        sut.Add("low", Key(priority: 0, order: 5));
        sut.Add("high", Key(priority: 1, submittedSeconds: 100, order: 5000));

        sut.Promote(T0.AddSeconds(60));

        Assert.Equal(["high", "low"], sut.InOrder());
    }

    [Fact]
    public void Add_Twice_Throws()
    {
        var sut = new PendingQueue<string>();
        sut.Add("a", Key());

        Assert.Throws<ArgumentException>(() => sut.Add("a", Key()));
        Assert.Throws<ArgumentException>(() => sut.Add("b", Key(order: double.NaN)));
    }

    [Fact]
    public void TryPeek_Empty_ReturnsFalse_ThenFirst()
    {
        var sut = new PendingQueue<int>();
        Assert.False(sut.TryPeek(out _, out _));

        sut.Add(7, Key(order: 3));
        sut.Add(8, Key(order: 1));

        Assert.True(sut.TryPeek(out var first, out var rank));
        Assert.Equal(8, first);
        Assert.True(sut.TryGetRank(7, out var other));
        Assert.True(rank < other);
        Assert.True(sut.Contains(7));
        Assert.True(sut.Remove(8));
        Assert.False(sut.Remove(8));
    }

    [Fact]
    public void Rank_ComparesAcrossQueues_SameOrderAsOneQueue()
    {
        var a = new PendingQueue<string>();
        var b = new PendingQueue<string>();
        a.Add("a", Key(order: 20, tiebreak: 1));
        b.Add("b", Key(order: 10, tiebreak: 2));

        a.TryPeek(out _, out var ra);
        b.TryPeek(out _, out var rb);

        Assert.True(rb < ra);
    }
}
