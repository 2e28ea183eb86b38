using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing.KubeApiServer.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Operator.Tests.Sync;

/// <summary>A whole replica on fake time against the API test server, its list and watch requests refused for a while.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class WatchHealthServiceTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(2, gpus: 8);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RunLoopAsync_ApiServerRefusesWatchesPastTheBound_NotReadyUntilTheyRecover()
    {
        var clock = new TestClock();
        var replica = await _cluster.StartOperatorAsync(clock, new Dictionary<string, string?>
        {
            ["Lepton:WatchHealth:FailureBound"] = "00:00:30",
            ["Lepton:Informers:InitialBackoff"] = "00:00:00.800",
            ["Lepton:Informers:MaxBackoff"] = "00:00:30",
        });
        var informers = replica.Services.GetServices<IInformer>().ToList();
        Assert.True(replica.Readiness.IsReady);

        _cluster.Server.Faults.FailNext(int.MaxValue, verb: "list", statusCode: 503);
        _cluster.Server.Faults.FailNext(int.MaxValue, verb: "watch", statusCode: 503);
        _cluster.Server.DropWatches(WatchDropMode.Abort);
        // Every informer has failed once and armed its first backoff: the outage started now on the fake clock.
        await clock.WaitForTimersAsync(t => t == TimeSpan.FromMilliseconds(800), informers.Count, Hang.Token());
        var failingSince = informers.Select(i => i.FailingSince).ToList();
        clock.Advance(TimeSpan.FromSeconds(31));
        // The health loop ran its check and armed its next one.
        await clock.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(2), Hang.Token());
        var (ready, reason) = (replica.Readiness.IsReady, replica.Readiness.Reason);

        _cluster.Server.Faults.Reset();
        while (!replica.Readiness.IsReady)
        {
            await clock.AdvanceToNextTimerAsync(TimeSpan.FromMinutes(1), Hang.Token());
        }

        Assert.All(failingSince, s => Assert.Equal(TestClock.Epoch, s));
        Assert.False(ready);
        Assert.Matches("^the [a-z]+ watch has been failing for 3[01]s \\(bound 30s\\): ", reason);
        Assert.All(informers, i => Assert.Null(i.FailingSince));
    }
}
