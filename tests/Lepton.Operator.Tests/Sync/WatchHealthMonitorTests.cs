using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Sync;
using Lepton.Scheduling.Readiness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Sync;

public sealed class WatchHealthMonitorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly StubInformer _pods = new("pods");
    private readonly StubInformer _nodes = new("nodes");
    private readonly ClusterStateReadiness _readiness = new();
    private bool _synced = true;

    private WatchHealthMonitor Sut() => new(
        [_nodes, _pods], _readiness, () => _synced, new WatchHealthOptions { FailureBound = TimeSpan.FromSeconds(30) }, _time, NullLogger<WatchHealthMonitor>.Instance);

    [Fact]
    public void Check_FailingShorterThanTheBound_StaysReady()
    {
        _readiness.MarkReady();
        var sut = Sut();
        _pods.Fail(_time.GetUtcNow(), "connection refused");
        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.False(sut.Check());
        Assert.True(_readiness.IsReady);
    }

    [Fact]
    public void Check_FailingLongerThanTheBound_NotReadyNamingTheWatchAndError()
    {
        _readiness.MarkReady();
        var sut = Sut();
        _pods.Fail(_time.GetUtcNow(), "connection refused");
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.True(sut.Check());
        Assert.False(_readiness.IsReady);
        Assert.Equal("the pods watch has been failing for 31s (bound 30s): connection refused", _readiness.Reason);
    }

    [Fact]
    public void Check_WatchRecovers_ReadyAgain()
    {
        _readiness.MarkReady();
        var sut = Sut();
        _pods.Fail(_time.GetUtcNow(), "connection refused");
        _time.Advance(TimeSpan.FromMinutes(2));
        sut.Check();

        _pods.Recover();
        var held = sut.Check();

        Assert.False(held);
        Assert.True(_readiness.IsReady);
    }

    [Fact]
    public void Check_RecoversBeforeTheInitialSync_LeavesItNotReady()
    {
        _synced = false;
        var sut = Sut();
        _nodes.Fail(_time.GetUtcNow(), "503");
        _time.Advance(TimeSpan.FromMinutes(1));
        sut.Check();

        _nodes.Recover();
        sut.Check();

        Assert.False(_readiness.IsReady);
    }

    [Fact]
    public void Check_NeverFailing_DoesNotTouchReadiness()
    {
        var sut = Sut();

        sut.Check();

        Assert.Equal("cluster state not loaded yet", _readiness.Reason);
    }

    private sealed class StubInformer(string resource) : IInformer
    {
        public string ResourceName => resource;

        public bool HasSynced => true;

        public DateTimeOffset? FailingSince { get; private set; }

        public string? LastError { get; private set; }

        public void Fail(DateTimeOffset since, string error) => (FailingSince, LastError) = (since, error);

        public void Recover() => (FailingSince, LastError) = (null, null);

        public Task ReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RelistAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
