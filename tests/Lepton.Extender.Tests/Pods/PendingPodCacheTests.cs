using Lepton.Extender.Pods;
using Lepton.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Extender.Tests.Pods;

public sealed class PendingPodCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryGet_WithinTtl_ReturnsPod()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 10);
        sut.Remember(Make.Demand("a"));
        _time.Advance(TimeSpan.FromSeconds(59));

        Assert.True(sut.TryGet("uid-a", out var pod));
        Assert.Equal("a", pod.Name);
    }

    [Fact]
    public void TryGet_AfterTtl_Forgets()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 10);
        sut.Remember(Make.Demand("a"));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(sut.TryGet("uid-a", out _));
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public void Remember_OverCapacity_DropsOldest()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 2);
        sut.Remember(Make.Demand("a"));
        sut.Remember(Make.Demand("b"));
        sut.Remember(Make.Demand("c"));

        Assert.False(sut.TryGet("uid-a", out _));
        Assert.True(sut.TryGet("uid-b", out _));
        Assert.True(sut.TryGet("uid-c", out _));
    }

    [Fact]
    public void Remember_SameUidAgain_RefreshesAge()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 2);
        sut.Remember(Make.Demand("a"));
        sut.Remember(Make.Demand("b"));
        sut.Remember(Make.Demand("a"));
        sut.Remember(Make.Demand("c"));

        Assert.True(sut.TryGet("uid-a", out _));
        Assert.False(sut.TryGet("uid-b", out _));
    }

    [Fact]
    public void TryGet_OtherResourceVersion_Misses()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 10);
        sut.Remember(Make.Demand("a"), "7");

        Assert.False(sut.TryGet("uid-a", "8", default, out _));
        Assert.True(sut.TryGet("uid-a", "7", default, out _));
        Assert.True(sut.TryGet("uid-a", out _));
    }

    [Fact]
    public void TryGet_SameVersionOtherJsonBytes_Misses()
    {
        var sut = new PendingPodCache(_time, TimeSpan.FromMinutes(1), 10);
        sut.Remember(Make.Demand("a"), "7", """{"metadata":{"uid":"uid-a"}}"""u8);

        Assert.False(sut.TryGet("uid-a", "7", """{"metadata":{"uid":"uid-a","x":1}}"""u8, out _));
        Assert.True(sut.TryGet("uid-a", "7", """{"metadata":{"uid":"uid-a"}}"""u8, out _));
    }
}
