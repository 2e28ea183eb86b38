using System.Diagnostics;
using Lepton.Operator.Entities;
using Lepton.Testing.KubeApiServer.Watch;
using Xunit.Abstractions;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>Many jobs through an API server that drops watches, compacts its history (410) and fails requests (500).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Singles = 450;
    private const int Gangs = 50;

    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(40, gpus: 8);
        await _cluster.StartOperatorAsync(settings: new Dictionary<string, string?>
        {
            ["Lepton:Controllers:leptonjob:Workers"] = "4",
            ["Lepton:Operator:GangTimeout"] = "00:10:00",
        });
        await _cluster.StartClusterAsync(autoSucceed: true);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task FiveHundredJobs_WatchDropsCompactionsAndServerErrors_NoJobLostAndNoPodBoundTwice()
    {
        var watch = Stopwatch.StartNew();
        var server = _cluster.Server;
        for (var i = 0; i < Singles + Gangs; i++)
        {
            var job = i < Singles
                ? OperatorHarness.JobJson($"job-{i}", gpus: 1)
                : OperatorHarness.JobJson($"gang-{i - Singles}", replicas: 2, gpus: 1);
            _cluster.CreateJob(job);
            if (i % 50 == 25)
            {
                server.Faults.FailNext(5, statusCode: 500);
                server.DropWatches(i % 100 == 25 ? WatchDropMode.Abort : WatchDropMode.Close);
            }

            if (i % 100 == 75)
            {
                server.Compact();
                server.DropWatches();
            }
        }

        foreach (var done in new[] { 150, 300, 450 })
        {
            await _cluster.Jobs.UntilAsync(c => c.List().Count(j => j.Status?.Phase == LeptonJobPhases.Succeeded) >= done, $"{done} jobs succeeded", Hang.Timeout);
            server.Faults.FailNext(10, statusCode: 500);
            server.Compact();
            server.DropWatches();
        }

        await _cluster.Jobs.UntilAsync(c => c.List().Count(j => j.Status?.Phase == LeptonJobPhases.Succeeded) == Singles + Gangs, "every job succeeded", Hang.Timeout);
        output.WriteLine($"{Singles + Gangs} jobs succeeded in {watch.Elapsed.TotalSeconds:0.0} s, {server.Requests.Count} API requests");

        var jobs = _cluster.Jobs.Cache.List();
        Assert.Equal(Singles + Gangs, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(LeptonJobPhases.Succeeded, j.Status!.Phase));
        var pods = _cluster.Pods.Cache.List();
        Assert.Equal(Singles + (2 * Gangs), pods.Count);
        Assert.All(pods, p => Assert.Equal("Succeeded", p.Status.Phase));
        var bindings = server.Requests.Entries.Where(r => r is { Subresource: "binding", StatusCode: 201 }).GroupBy(r => r.Namespace + "/" + r.Name).ToList();
        Assert.Equal(pods.Count, bindings.Count);
        Assert.All(bindings, g => Assert.Single(g));
        Assert.Contains(server.Requests.Entries, r => r.StatusCode == 500);
    }
}
