using Lepton.Operator.Rebalancing;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalancerServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly TestClock _clock = new();
    private readonly RebalancerMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());
    private readonly ManualLeaderElector _elector = new();

    private RebalancerService CreateSut(k8s.Kubernetes client, bool enabled = true)
    {
        var options = new RebalancerOptions { Enabled = enabled, Interval = Interval };
        var cluster = new RebalanceTestCluster().Node("node-a");
        var rebalancer = new Rebalancer(
            cluster.State,
            cluster.PodSource(),
            new RebalanceEvictor(client, options, _clock),
            new RebalanceEventRecorder(TestEventRecorders.Create(client, _clock)),
            _metrics,
            options,
            _clock,
            NullLogger<Rebalancer>.Instance,
            RebalanceTestCluster.WholeGpuMix());
        return new RebalancerService(rebalancer, _elector, Options.Create(options), _clock, NullLogger<RebalancerService>.Instance);
    }

    private static k8s.Kubernetes Unreachable() => new(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });

    [Fact]
    public async Task ExecuteAsync_Leading_RunsOneCycleEveryInterval()
    {
        using var client = Unreachable();
        using var sut = CreateSut(client);
        var ct = Timeouts.Token();
        await sut.StartAsync(ct);
        _elector.Grant();

        await _clock.AdvanceWhenArmedAsync(Interval, ct);
        await _clock.AdvanceWhenArmedAsync(Interval, ct);
        await _clock.WaitForTimerAsync(left => left == Interval, ct);

        Assert.Equal(2, _metrics.Cycles);
        await sut.StopAsync(ct);
    }

    [Fact]
    public async Task ExecuteAsync_NotLeading_RunsNoCycle()
    {
        using var client = Unreachable();
        using var sut = CreateSut(client);
        var ct = Timeouts.Token();
        await sut.StartAsync(ct);

        _clock.Advance(Interval * 3);

        Assert.Empty(_clock.PendingTimers());
        Assert.Equal(0, _metrics.Cycles);
        await sut.StopAsync(ct);
    }

    [Fact]
    public async Task ExecuteAsync_LeadershipLost_StopsCyclesUntilRegained()
    {
        using var client = Unreachable();
        using var sut = CreateSut(client);
        var ct = Timeouts.Token();
        await sut.StartAsync(ct);
        _elector.Grant();
        await _clock.AdvanceWhenArmedAsync(Interval, ct);
        await _clock.WaitForTimerAsync(left => left == Interval, ct);

        _elector.Revoke();
        Assert.Empty(_clock.PendingTimers());

        _clock.Advance(Interval * 3);
        Assert.Equal(1, _metrics.Cycles);

        _elector.Grant();
        await _clock.AdvanceWhenArmedAsync(Interval, ct);
        await _clock.WaitForTimerAsync(left => left == Interval, ct);
        Assert.Equal(2, _metrics.Cycles);
        await sut.StopAsync(ct);
    }

    [Fact]
    public async Task ExecuteAsync_Disabled_NeverRuns()
    {
        using var client = Unreachable();
        using var sut = CreateSut(client, enabled: false);
        var ct = Timeouts.Token();
        await sut.StartAsync(ct);
        _elector.Grant();

        _clock.Advance(Interval * 3);

        Assert.Equal(0, _metrics.Cycles);
        await sut.StopAsync(ct);
    }
}
