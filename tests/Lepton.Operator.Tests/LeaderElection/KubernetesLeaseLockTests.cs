using Lepton.Operator.LeaderElection;
using Lepton.Operator.Resilience;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.LeaderElection;

/// <summary>The Lease lock and two electors over HTTP against the in-process API server.</summary>
public sealed class KubernetesLeaseLockTests : IAsyncLifetime
{
    private TestKube _kube = null!;

    public async Task InitializeAsync() => _kube = await TestKube.StartAsync();

    public async Task DisposeAsync() => await _kube.DisposeAsync();

    [Fact]
    public async Task GetAsync_NoLease_ReturnsNull()
    {
        var sut = new KubernetesLeaseLock(_kube.Client, "default", "lepton");

        Assert.Null(await sut.GetAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task CreateAsync_ThenGet_RoundTripsTheRecordWithMicroTimes()
    {
        var sut = new KubernetesLeaseLock(_kube.Client, "default", "lepton");
        var acquired = TestClock.Epoch.AddTicks(1_234_567);
        var record = new LeaseRecord("a", 15, acquired, TestClock.Epoch.AddSeconds(2), 3);

        var created = await sut.CreateAsync(record, Timeouts.Token());
        var read = await sut.GetAsync(Timeouts.Token());

        Assert.Equal(created, read);
        Assert.Equal(record with { AcquireTime = TestClock.Epoch.AddTicks(1_234_560) }, read!.Record);
        var stored = _kube.Server.Get("leases", "default", "lepton")!;
        Assert.Equal("2026-01-01T00:00:00.123456Z", (string?)stored["spec"]!["acquireTime"]);
        Assert.Equal("2026-01-01T00:00:02.000000Z", (string?)stored["spec"]!["renewTime"]);
        Assert.Equal(15, (int)stored["spec"]!["leaseDurationSeconds"]!);
        Assert.Equal(3, (int)stored["spec"]!["leaseTransitions"]!);
    }

    [Fact]
    public async Task CreateAsync_LeaseExists_ThrowsConflict()
    {
        var sut = new KubernetesLeaseLock(_kube.Client, "default", "lepton");
        await sut.CreateAsync(new LeaseRecord("a", 15, null, null, 0), Timeouts.Token());

        await Assert.ThrowsAsync<ConflictException>(() => sut.CreateAsync(new LeaseRecord("b", 15, null, null, 0), Timeouts.Token()));
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflict()
    {
        var sut = new KubernetesLeaseLock(_kube.Client, "default", "lepton");
        var first = await sut.CreateAsync(new LeaseRecord("a", 15, null, null, 0), Timeouts.Token());
        await sut.UpdateAsync(first, new LeaseRecord("a", 15, null, TestClock.Epoch, 0), Timeouts.Token());

        await Assert.ThrowsAsync<ConflictException>(() => sut.UpdateAsync(first, new LeaseRecord("b", 15, null, null, 1), Timeouts.Token()));
    }

    [Fact]
    public async Task TwoElectors_LeaderReleases_OtherAcquiresAndTransitionsIncrement()
    {
        var clock = new TestClock();
        var a = Elector(clock, "a");
        var b = Elector(clock, "b");

        Assert.True(await a.TryAcquireOrRenewAsync(Timeouts.Token()));
        Assert.False(await b.TryAcquireOrRenewAsync(Timeouts.Token()));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await a.TryAcquireOrRenewAsync(Timeouts.Token()));
        Assert.True(await a.ReleaseAsync(Timeouts.Token()));
        Assert.True(await b.TryAcquireOrRenewAsync(Timeouts.Token()));

        var stored = _kube.Server.Get("leases", "default", "lepton")!;
        Assert.Equal("b", (string?)stored["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)stored["spec"]!["leaseTransitions"]!);
        Assert.Equal(15, (int)stored["spec"]!["leaseDurationSeconds"]!);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_ServerFailsWith500_PropagatesTheApiError()
    {
        var a = Elector(new TestClock(), "a");
        _kube.Server.Faults.FailNext(1, verb: "get", resource: "leases", statusCode: 500);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => a.TryAcquireOrRenewAsync(Timeouts.Token()));

        Assert.True(KubeApiErrors.IsTransient(error));
    }

    private LeaseLeaderElector Elector(TestClock clock, string identity) => new(
        new KubernetesLeaseLock(_kube.Client, "default", "lepton"),
        new LeaderElectionOptions { Identity = identity, Randomizer = () => 0 },
        clock,
        NullLogger<LeaseLeaderElector>.Instance);
}
