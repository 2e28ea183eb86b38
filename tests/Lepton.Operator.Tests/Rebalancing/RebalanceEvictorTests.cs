using Lepton.Operator.Rebalancing;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Inventory;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalanceEvictorTests
{
    private readonly FakeTimeProvider _time = new(TestClock.Epoch);

    private static PodDemand Demand(string name, string? uid = null) => new() { Uid = uid ?? "uid-" + name, Name = name, Namespace = "default" };

    private async Task<(TestKube Kube, RebalanceEvictor Sut)> StartAsync(int retries = 2)
    {
        var kube = await TestKube.StartAsync(o => o.TimeProvider = _time);
        var cluster = new RebalanceTestCluster().Node("node-a");
        cluster.Pod("p1", "node-a", 500, [0]);
        cluster.SeedInto(kube.Server);
        var options = new RebalancerOptions { EvictionRetryAttempts = retries, EvictionRetryBaseDelay = TimeSpan.Zero };
        return (kube, new RebalanceEvictor(kube.Client, options, _time));
    }

    private static int Attempts(TestKube kube) => kube.Server.Requests.Entries.Count(r => r.ResourceWithSubresource == "pods/eviction");

    [Fact]
    public async Task EvictAsync_NoBudget_DeletesThePod()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;

        var outcome = await sut.EvictAsync(Demand("p1"), Timeouts.Token());

        Assert.Equal(MoveResult.Evicted, outcome.Result);
        Assert.Null(kube.Server.Get("pods", "default", "p1"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(504)]
    public async Task EvictAsync_TransientServerError_RetriesAndEvicts(int status)
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;
        kube.Server.Faults.FailNext(2, verb: "create", resource: "pods/eviction", statusCode: status);

        var outcome = await sut.EvictAsync(Demand("p1"), Timeouts.Token());

        Assert.Equal(MoveResult.Evicted, outcome.Result);
        Assert.Equal(3, Attempts(kube));
    }

    [Fact]
    public async Task EvictAsync_TransientErrorsOutlastRetries_ReturnsError()
    {
        var (kube, sut) = await StartAsync(retries: 1);
        await using var _ = kube;
        kube.Server.Faults.FailNext(5, verb: "create", resource: "pods/eviction", statusCode: 503);

        var outcome = await sut.EvictAsync(Demand("p1"), Timeouts.Token());

        Assert.Equal(MoveResult.Error, outcome.Result);
        Assert.Equal(503, outcome.StatusCode);
        Assert.Equal(2, Attempts(kube));
        Assert.NotNull(kube.Server.Get("pods", "default", "p1"));
    }

    [Theory]
    [InlineData(500, MoveResult.Error)]
    [InlineData(403, MoveResult.Error)]
    [InlineData(429, MoveResult.PdbBlocked)]
    [InlineData(404, MoveResult.Gone)]
    public async Task EvictAsync_NonTransientStatus_AnswersWithoutRetry(int status, MoveResult expected)
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;
        kube.Server.Faults.FailNext(1, verb: "create", resource: "pods/eviction", statusCode: status, message: "injected");

        var outcome = await sut.EvictAsync(Demand("p1"), Timeouts.Token());

        Assert.Equal(expected, outcome.Result);
        Assert.Equal(status, outcome.StatusCode);
        Assert.Contains("injected", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(1, Attempts(kube));
        Assert.NotNull(kube.Server.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task EvictAsync_PodReplacedUnderTheSameName_EvictsNothing()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;

        var outcome = await sut.EvictAsync(Demand("p1", uid: "uid-of-the-old-p1"), Timeouts.Token());

        Assert.Equal(MoveResult.Gone, outcome.Result);
        Assert.Equal(409, outcome.StatusCode);
        Assert.NotNull(kube.Server.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task EvictAsync_PodMissing_ReturnsGone()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;

        var outcome = await sut.EvictAsync(Demand("nobody"), Timeouts.Token());

        Assert.Equal(MoveResult.Gone, outcome.Result);
        Assert.Equal(404, outcome.StatusCode);
    }
}
