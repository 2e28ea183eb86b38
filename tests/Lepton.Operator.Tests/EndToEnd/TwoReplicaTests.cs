using System.Diagnostics;
using System.Globalization;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Serving;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// Issue 11 / DECISIONS.md 19: the chart's two replicas behind one Service, with kube-scheduler's calls
/// for one pod landing on either replica. Only the leader serves; the standby refuses, kube-scheduler
/// retries, and no GPU card is ever given twice.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TwoReplicaTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Nodes = 40;
    private const int GpusPerNode = 8;
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(Nodes, gpus: GpusPerNode);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TwoReplicas_CallsSpreadOverBoth_NoCardCollisionNoOverbookingEveryPodBoundOnce()
    {
        var a = await _cluster.StartOperatorAsync(TimeProvider.System, Replica("a"));
        await a.Elector.WaitForLeadershipAsync(Hang.Token());
        var b = await _cluster.StartOperatorAsync(TimeProvider.System, Replica("b"));
        await UntilServingAsync(a);
        var spread = (SpreadExtenderBackend?)null;
        await _cluster.StartClusterAsync(extender: s => spread = new SpreadExtenderBackend(() => _cluster.Running, s.PodByUid, seed: 11));

        var pods = CreateWorkload();
        await UntilAllBoundAsync(pods);

        output.WriteLine($"calls: {string.Join(", ", spread!.Calls.Select(kv => $"{kv.Key}={kv.Value}"))}; refused {spread.Refusals}; refused cycles {_cluster.Scheduler!.RefusedCycles}");
        Assert.False(b.Services.GetRequiredService<LeaderServingGate>().IsServing);
        Assert.True(spread.Calls.GetValueOrDefault("b") > 0, "some calls reached the standby");
        Assert.True(spread.Refusals > 0);
        AssertNoCollisionsAndEveryPodBoundOnce(pods);
    }

    [Fact]
    public async Task LeaderKilledMidway_StandbyTakesOver_NoCardCollisionNoOverbookingEveryPodBoundOnce()
    {
        var a = await _cluster.StartOperatorAsync(TimeProvider.System, Replica("a", leaseSeconds: 3));
        await a.Elector.WaitForLeadershipAsync(Hang.Token());
        var b = await _cluster.StartOperatorAsync(TimeProvider.System, Replica("b", leaseSeconds: 3));
        await UntilServingAsync(a);
        var spread = (SpreadExtenderBackend?)null;
        await _cluster.StartClusterAsync(extender: s => spread = new SpreadExtenderBackend(() => _cluster.Running, s.PodByUid, seed: 12));

        var pods = CreateWorkload();
        await _cluster.Pods.UntilAsync(c => c.List().Count(p => !string.IsNullOrEmpty(p.Spec.NodeName)) >= pods / 3, "a third of the pods bound under a", TimeSpan.FromMinutes(2));
        var clock = Stopwatch.StartNew();
        var elected = TimeSpan.Zero;
        b.Elector.LeadershipChanged += (_, e) =>
        {
            if (e.IsLeader)
            {
                elected = clock.Elapsed;
            }
        };
        await a.StopAsync(); // a crash: the lease is not released (ReleaseOnCancel false)
        var stopped = clock.Elapsed;
        _cluster.ExtenderReplica = b;
        await UntilServingAsync(b, TimeSpan.FromMinutes(1));
        var serving = clock.Elapsed;
        // a's elector renews until its host has stopped: the takeover is measured from there.
        var takeover = serving - stopped;
        output.WriteLine($"a stopped after {stopped.TotalSeconds:0.0} s, b elected at {elected.TotalSeconds:0.0} s, serving at {serving.TotalSeconds:0.0} s");
        await UntilAllBoundAsync(pods);

        output.WriteLine($"takeover (a stopped to b serving) {takeover.TotalSeconds:0.0} s with a 3 s lease; calls: {string.Join(", ", spread!.Calls.Select(kv => $"{kv.Key}={kv.Value}"))}; refused {spread.Refusals}");
        Assert.InRange(takeover, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        AssertNoCollisionsAndEveryPodBoundOnce(pods);
    }

    private async Task UntilAllBoundAsync(int pods)
    {
        try
        {
            await _cluster.Pods.UntilAsync(c => c.List().Count(p => !string.IsNullOrEmpty(p.Spec.NodeName)) == pods, $"all {pods} pods bound", TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            var all = _cluster.Pods.Cache.List();
            output.WriteLine($"{all.Count} pods, {all.Count(p => !string.IsNullOrEmpty(p.Spec.NodeName))} bound, {all.Count(p => p.Spec.SchedulingGates?.Count > 0)} gated; scheduler attempts {_cluster.Scheduler!.Attempts}, refused cycles {_cluster.Scheduler.RefusedCycles}");
            foreach (var (uid, why) in _cluster.Scheduler.LastFailure.Take(10))
            {
                output.WriteLine($"  {uid}: {why}");
            }

            throw;
        }
    }

    private static async Task UntilServingAsync(OperatorInstance replica, TimeSpan? timeout = null)
    {
        var gate = replica.Services.GetRequiredService<LeaderServingGate>();
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.Serving += () => serving.TrySetResult();
        if (!gate.IsServing)
        {
            await serving.Task.WaitAsync(timeout ?? Hang.Timeout);
        }
    }

    /// <summary>200 jobs: 120 one-GPU, 40 two-GPU, 20 half-GPU shares, 20 gangs of 2 × 2 GPUs (220 pods asking for 290 of the 320 GPUs).</summary>
    private int CreateWorkload()
    {
        var pods = 0;
        for (var i = 0; i < 200; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"job-{i:000}");
            var job = (i % 10) switch
            {
                < 6 => OperatorHarness.JobJson(name, gpus: 1),
                < 8 => OperatorHarness.JobJson(name, gpus: 2),
                8 => OperatorHarness.JobJson(name, gpus: 1, gpuMilli: 500),
                _ => OperatorHarness.JobJson(name, replicas: 2, gpus: 2),
            };
            pods += i % 10 == 9 ? 2 : 1;
            _cluster.CreateJob(job);
        }

        return pods;
    }

    private void AssertNoCollisionsAndEveryPodBoundOnce(int pods)
    {
        var bindings = _cluster.Server.Requests.Entries.Where(r => r is { Subresource: "binding", StatusCode: 201 }).GroupBy(r => r.Name).ToList();
        Assert.Equal(pods, bindings.Count);
        Assert.All(bindings, g => Assert.Single(g));

        var all = _cluster.Pods.Cache.List().Where(p => !string.IsNullOrEmpty(p.Spec.NodeName)).ToList();
        Assert.Equal(pods, all.Count);
        foreach (var node in all.GroupBy(p => p.Spec.NodeName))
        {
            var milliPerCard = new int[GpusPerNode];
            foreach (var pod in node)
            {
                string? cards = null;
                Assert.True(pod.Metadata.Annotations?.TryGetValue("lepton.ai/gpu-cards", out cards) == true && !string.IsNullOrEmpty(cards), $"pod {pod.Metadata.Name} has no card annotation");
                var milli = pod.Metadata.Annotations!.TryGetValue("lepton.ai/gpu-milli", out var m) ? int.Parse(m, CultureInfo.InvariantCulture) : 1000;
                foreach (var card in cards!.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
                {
                    milliPerCard[card] += milli;
                }
            }

            Assert.All(milliPerCard, (used, card) => Assert.True(used <= 1000, $"node {node.Key} card {card} holds {used} milli: a card collision"));
        }
    }

    private static Dictionary<string, string?> Replica(string identity, int leaseSeconds = 15) => new()
    {
        ["Lepton:LeaderElection:Enabled"] = "true",
        ["Lepton:LeaderElection:Identity"] = identity,
        ["Lepton:LeaderElection:ReleaseOnCancel"] = "false",
        ["Lepton:LeaderElection:LeaseDuration"] = string.Create(CultureInfo.InvariantCulture, $"00:00:{leaseSeconds:00}"),
        ["Lepton:LeaderElection:RenewDeadline"] = string.Create(CultureInfo.InvariantCulture, $"00:00:{Math.Max(1, leaseSeconds * 2 / 3):00}"),
        ["Lepton:LeaderElection:RetryPeriod"] = "00:00:01",
    };
}
