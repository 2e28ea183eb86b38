using k8s;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Tests.Testing;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>Two operator replicas with Lease-based leader election on one fake clock; the leader crashes mid-work.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LeaderFailoverTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private OperatorHarness _cluster = null!;
    private ClockDriver _driver = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(4, gpus: 8);
        _driver = new ClockDriver(_clock);
    }

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task LeaderCrashesMidWork_StandbyTakesOverAfterTheLease_NoDuplicatePodsAndNoDoubleBinding()
    {
        var a = await _cluster.StartOperatorAsync(_clock, Replica("a", releaseOnCancel: false));
        await a.Elector.WaitForLeadershipAsync(Hang.Token());
        var b = await _cluster.StartOperatorAsync(_clock, Replica("b", releaseOnCancel: true));
        await _cluster.StartClusterAsync();
        string[] early = ["j1", "j2", "j3"];
        foreach (var name in early)
        {
            _cluster.CreateJob(OperatorHarness.JobJson(name, gpus: 1));
        }

        _cluster.CreateJob(OperatorHarness.JobJson("g1", replicas: 2, gpus: 4));
        await _cluster.Jobs.UntilAsync(c => c.List().Count(j => j.Status?.Phase == LeptonJobPhases.Running) == 4, "the first jobs run under a");
        Assert.False(b.Elector.IsLeader);

        string[] late = ["j4", "j5", "j6"];
        foreach (var name in late)
        {
            _cluster.CreateJob(OperatorHarness.JobJson(name, gpus: 1));
        }

        _cluster.CreateJob(OperatorHarness.JobJson("g2", replicas: 2, gpus: 4));
        await a.StopAsync();
        _cluster.ExtenderReplica = b;
        while (!b.Elector.IsLeader)
        {
            var retryIn = await _clock.WaitForTimerAsync(t => t > _driver.Threshold && t <= TimeSpan.FromSeconds(2), Hang.Token());
            _clock.Advance(retryIn);
        }

        try
        {
            await _cluster.Jobs.UntilAsync(c => c.List().Count(j => j.Status?.Phase == LeptonJobPhases.Running) == 8, "every job runs under b");
        }
        catch (TimeoutException)
        {
            foreach (var j in _cluster.Jobs.Cache.List())
            {
                Console.WriteLine($"{j.Metadata.Name}: {j.Status?.Phase} {j.Status?.Message} fin={string.Join(',', j.Metadata.Finalizers ?? [])}");
            }

            foreach (var p in _cluster.Pods.Cache.List())
            {
                Console.WriteLine($"{p.Metadata.Name}: node={p.Spec.NodeName} phase={p.Status?.Phase} gates={p.Spec.SchedulingGates?.Count} ann={string.Join(',', p.Metadata.Annotations ?? new Dictionary<string, string>())} fail={_cluster.Scheduler!.LastFailure.GetValueOrDefault(p.Metadata.Uid)}");
            }

            Console.WriteLine($"b leader={b.Elector.IsLeader} now={_clock.GetUtcNow()} timers={string.Join(',', _clock.PendingTimers())}");
            throw;
        }

        var pods = _cluster.Pods.Cache.List();
        Assert.Equal(10, pods.Count);
        foreach (var job in _cluster.Jobs.Cache.List())
        {
            Assert.Equal(job.Spec.Replicas, _cluster.PodsOf(job.Metadata.Name).Count);
        }

        var bindings = _cluster.Server.Requests.Entries.Where(r => r is { Subresource: "binding", StatusCode: 201 }).GroupBy(r => r.Name).ToList();
        Assert.Equal(10, bindings.Count);
        Assert.All(bindings, g => Assert.Single(g));
        Assert.All(pods, p => Assert.False(string.IsNullOrEmpty(p.Spec.NodeName)));
        var lease = await _cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("lepton-operator", "lepton-system");
        Assert.Equal("b", lease.Spec.HolderIdentity);
    }

    private static Dictionary<string, string?> Replica(string identity, bool releaseOnCancel) => new()
    {
        ["Lepton:LeaderElection:Enabled"] = "true",
        ["Lepton:LeaderElection:Identity"] = identity,
        ["Lepton:LeaderElection:ReleaseOnCancel"] = releaseOnCancel ? "true" : "false",
    };
}
