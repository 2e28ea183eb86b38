using System.Text.Json.Nodes;
using Lepton.Operator.Rebalancing;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Readiness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class RebalancerTests
{
    private readonly FakeTimeProvider _time = new(TestClock.Epoch);
    private readonly RebalancerMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());

    // node-a and node-b each hold a half share on card 0 (F = 500 each); moving node-a's share to node-b fixes both.
    private static RebalanceTestCluster Pair(IDictionary<string, string>? labels = null, IDictionary<string, string>? bAnnotations = null)
    {
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b");
        cluster.Pod("a1", "node-a", 500, [0], labels: labels);
        cluster.Pod("b1", "node-b", 500, [0], labels: labels, annotations: bAnnotations);
        return cluster;
    }

    private static Dictionary<string, string> Train() => new() { ["app"] = "train" };

    private static Dictionary<string, string> NoRebalance() => new() { [PodEligibility.NoRebalanceAnnotation] = "true" };

    private Task<TestKube> StartAsync(Action<Lepton.Testing.KubeApiServer.KubeApiTestServerOptions>? configure = null) =>
        TestKube.StartAsync(o =>
        {
            o.TimeProvider = _time;
            configure?.Invoke(o);
        });

    private Rebalancer CreateSut(
        RebalanceTestCluster cluster,
        TestKube kube,
        RebalancerOptions options,
        IRebalancerPodSource? pods = null,
        FragmentationModel? fallbackMix = null,
        bool noFallback = false,
        IClusterStateReadiness? readiness = null) => new(
            cluster.State,
            pods ?? new ServerPodSource(kube.Server),
            new RebalanceEvictor(kube.Client, options, _time),
            new RebalanceEventRecorder(TestEventRecorders.Create(kube.Client, _time)),
            _metrics,
            options,
            _time,
            NullLogger<Rebalancer>.Instance,
            noFallback ? null : fallbackMix ?? RebalanceTestCluster.WholeGpuMix(),
            readiness);

    private static RebalancerOptions Live(Action<RebalancerOptions>? configure = null)
    {
        var options = new RebalancerOptions { DryRun = false, EvictionRetryBaseDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    private static IReadOnlyList<JsonObject> Events(TestKube kube) => kube.Server.List("events.events.k8s.io", "default");

    private static int EvictionRequests(TestKube kube) =>
        kube.Server.Requests.Entries.Count(r => r.Verb == "create" && r.ResourceWithSubresource == "pods/eviction");

    [Fact]
    public async Task RunCycleAsync_FragmentedPair_EvictsThePodAndRecordsAnEvent()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        cluster.SeedInto(kube.Server);
        var sut = CreateSut(cluster, kube, Live());

        var result = await sut.RunCycleAsync(Timeouts.Token());

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(MoveResult.Evicted, outcome.Result);
        Assert.Equal("a1", outcome.Move.Pod.Name);
        Assert.Null(kube.Server.Get("pods", "default", "a1"));
        Assert.NotNull(kube.Server.Get("pods", "default", "b1"));
        Assert.Equal(1, EvictionRequests(kube));
        Assert.DoesNotContain(kube.Server.Requests.Entries, r => r.Verb == "delete");
        var ev = Assert.Single(Events(kube));
        Assert.Equal(RebalanceEventRecorder.ReasonRebalance, (string?)ev["reason"]);
        Assert.Equal("Normal", (string?)ev["type"]);
        Assert.Equal("Evict", (string?)ev["action"]);
        Assert.Equal("a1", (string?)ev["regarding"]!["name"]);
        Assert.Equal("node-a", (string?)ev["related"]!["name"]);
        Assert.Equal(RebalanceEventRecorder.ReportingController, (string?)ev["reportingController"]);
        Assert.Contains("node-b", (string?)ev["note"], StringComparison.Ordinal);
        Assert.Equal(1, _metrics.Evictions(RebalancerMetrics.ResultEvicted));
        Assert.Equal(1, _metrics.Cycles);
        Assert.Equal(1, _metrics.FragmentationGpus, 6);
        Assert.Equal(1, _metrics.PlannedMoves);
    }

    [Fact]
    public async Task RunCycleAsync_DryRun_EvictsNothingButRecordsEvents()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        cluster.SeedInto(kube.Server);
        var sut = CreateSut(cluster, kube, new RebalancerOptions());

        var result = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(MoveResult.DryRun, Assert.Single(result.Outcomes).Result);
        Assert.Equal(0, EvictionRequests(kube));
        Assert.NotNull(kube.Server.Get("pods", "default", "a1"));
        var ev = Assert.Single(Events(kube));
        Assert.Equal(RebalanceEventRecorder.ReasonRebalance, (string?)ev["reason"]);
        Assert.Equal("DryRun", (string?)ev["action"]);
        Assert.StartsWith("Dry run", (string?)ev["note"], StringComparison.Ordinal);
        Assert.Equal(1, _metrics.Evictions(RebalancerMetrics.ResultDryRun));
        Assert.Equal(0, _metrics.Evictions(RebalancerMetrics.ResultEvicted));
    }

    [Fact]
    public async Task RunCycleAsync_SameDryRunMoveNextCycle_OneEventWhoseSeriesCountsTheRepeat()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        cluster.SeedInto(kube.Server);
        var sut = CreateSut(cluster, kube, new RebalancerOptions());

        await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunCycleAsync(Timeouts.Token());

        var ev = Assert.Single(Events(kube));
        Assert.Equal("DryRun", (string?)ev["action"]);
        Assert.Equal(2, (int?)ev["series"]?["count"]);
        Assert.Equal(2, _metrics.Evictions(RebalancerMetrics.ResultDryRun));
    }

    [Fact]
    public async Task RunCycleAsync_IneligiblePods_AreNeverChosen()
    {
        // Every node holds one half share (F = 500); only "ok" may move, so it is the only move.
        await using var kube = await StartAsync();
        var cluster = new RebalanceTestCluster();
        void Add(string name, string? owner = "ReplicaSet", string ns = "default", int priority = 0, IDictionary<string, string>? annotations = null)
        {
            cluster.Node("node-" + name);
            cluster.Pod(name, "node-" + name, 500, [0], owner, ns, priority, annotations: annotations);
        }

        Add("bare", owner: null);
        Add("daemon", owner: "DaemonSet");
        Add("mirror", owner: "Node");
        Add("static", annotations: new Dictionary<string, string> { [PodEligibility.MirrorPodAnnotation] = "x" });
        Add("optout", annotations: NoRebalance());
        Add("system", ns: "kube-system");
        Add("vip", priority: 1_000_000);
        Add("custom", owner: "MysteryOperator");
        Add("ok", owner: "LeptonJob");
        var sut = CreateSut(cluster, kube, new RebalancerOptions { MaxEvictionsPerCycle = 50, MaxEvictionsPerNode = 50 }, cluster.PodSource());

        var result = await sut.RunCycleAsync(Timeouts.Token());

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("ok", outcome.Move.Pod.Name);
        Assert.Equal(1, result.Plan.Candidates);
    }

    [Fact]
    public async Task RunCycleAsync_PdbAllowsNoDisruption_SkipsThePodUntilTheBudgetAllows()
    {
        await using var kube = await StartAsync();
        var cluster = Pair(Train(), bAnnotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        kube.Server.Create(Pdb("train", minAvailable: 2));
        var sut = CreateSut(cluster, kube, Live());

        var first = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(MoveResult.PdbBlocked, Assert.Single(first.Outcomes).Result);
        Assert.Contains("disruption budget", Assert.Single(first.Outcomes).Message, StringComparison.Ordinal);
        Assert.Equal(1, EvictionRequests(kube));
        Assert.NotNull(kube.Server.Get("pods", "default", "a1"));
        Assert.Equal(1, _metrics.Evictions(RebalancerMetrics.ResultPdbBlocked));
        var skipped = Assert.Single(Events(kube));
        Assert.Equal(RebalanceEventRecorder.ReasonRebalanceSkipped, (string?)skipped["reason"]);

        // A third healthy pod joins: the disruption controller recomputes the budget, which now allows one.
        var extra = new RebalanceTestCluster().Node("node-c");
        extra.Pod("c1", "node-c", 1000, [0], labels: Train());
        extra.SeedInto(kube.Server);
        kube.Server.RecomputeDisruptionBudgets();
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(MoveResult.Evicted, Assert.Single(second.Outcomes).Result);
        Assert.Null(kube.Server.Get("pods", "default", "a1"));
        Assert.Equal(2, EvictionRequests(kube));
        Assert.Equal(1, _metrics.Evictions(RebalancerMetrics.ResultEvicted));
    }

    [Fact]
    public async Task RunCycleAsync_PdbNotYetObserved_WaitsForRetryAfter()
    {
        // Without the disruption controller a new budget has no observed status: 429 with retryAfterSeconds 10.
        await using var kube = await StartAsync(o => o.EnableDisruptionBudgetController = false);
        var cluster = Pair(Train(), bAnnotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        kube.Server.Create(Pdb("train", minAvailable: 1));
        var sut = CreateSut(cluster, kube, Live());

        var first = await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(TimeSpan.FromSeconds(5));
        var early = await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(TimeSpan.FromSeconds(5));
        kube.Server.RecomputeDisruptionBudgets();
        var late = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(MoveResult.PdbBlocked, Assert.Single(first.Outcomes).Result);
        Assert.Empty(early.Plan.Moves);
        Assert.Equal(MoveResult.Evicted, Assert.Single(late.Outcomes).Result);
        Assert.Equal(2, EvictionRequests(kube));
    }

    [Fact]
    public async Task RunCycleAsync_Injected500_CountsAnErrorWithoutRetrying()
    {
        await using var kube = await StartAsync();
        var cluster = Pair(bAnnotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        kube.Server.Faults.FailNext(3, verb: "create", resource: "pods/eviction", statusCode: 500);
        var sut = CreateSut(cluster, kube, Live());

        var first = await sut.RunCycleAsync(Timeouts.Token());
        var again = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(MoveResult.Error, Assert.Single(first.Outcomes).Result);
        Assert.Equal(1, EvictionRequests(kube));
        Assert.NotNull(kube.Server.Get("pods", "default", "a1"));
        Assert.Equal(1, _metrics.Evictions(RebalancerMetrics.ResultError));
        var ev = Assert.Single(Events(kube));
        Assert.Equal(RebalanceEventRecorder.ReasonRebalanceSkipped, (string?)ev["reason"]);
        Assert.Equal("Warning", (string?)ev["type"]);
        Assert.Empty(again.Plan.Moves);
    }

    [Fact]
    public async Task RunCycleAsync_TwoBudgetsMatch_CountsAnErrorAndBacksOff()
    {
        await using var kube = await StartAsync();
        var cluster = Pair(Train(), bAnnotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        kube.Server.Create(Pdb("train", minAvailable: 0));
        kube.Server.Create(Pdb("train", minAvailable: 0, name: "train-2"));
        var options = Live();
        var sut = CreateSut(cluster, kube, options);

        var first = await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(options.FailedPodBackoff - TimeSpan.FromSeconds(1));
        var during = await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = await sut.RunCycleAsync(Timeouts.Token());

        var outcome = Assert.Single(first.Outcomes);
        Assert.Equal(MoveResult.Error, outcome.Result);
        Assert.Contains("more than one PodDisruptionBudget", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(during.Plan.Moves);
        Assert.Equal(MoveResult.Error, Assert.Single(after.Outcomes).Result);
        Assert.Equal(2, _metrics.Evictions(RebalancerMetrics.ResultError));
    }

    [Fact]
    public async Task RunCycleAsync_ReplacementOfAMovedWorkload_IsLeftAloneDuringTheCooldown()
    {
        await using var kube = await StartAsync();
        var cluster = Pair(bAnnotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        var options = Live(o => o.NodeCooldown = TimeSpan.Zero);
        var sut = CreateSut(cluster, kube, options);
        await sut.RunCycleAsync(Timeouts.Token());

        // The ReplicaSet recreates the pod under a new name, and it lands back on node-a card 0 (the informer's view).
        cluster.State.Remove("uid-a1");
        var replacement = cluster.Pod("a1-x", "node-a", 500, [0]);
        replacement.Metadata.OwnerReferences[0].Uid = "owner-a1";
        RebalanceTestCluster.Seed(kube.Server, replacement);
        _time.Advance(TimeSpan.FromMinutes(5));
        var during = await sut.RunCycleAsync(Timeouts.Token());
        _time.Advance(options.PodCooldown);
        var after = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Empty(during.Plan.Moves);
        Assert.Equal("a1-x", Assert.Single(after.Outcomes).Move.Pod.Name);
    }

    [Fact]
    public async Task RunCycleAsync_SourceNodeCoolingDown_IsNotASource()
    {
        await using var kube = await StartAsync();
        var cluster = new RebalanceTestCluster().Node("node-a").Node("node-b").Node("node-c");
        cluster.Pod("a1", "node-a", 600, [0]);
        cluster.Pod("a2", "node-a", 600, [1]);
        cluster.Pod("b1", "node-b", 400, [0], annotations: NoRebalance());
        cluster.Pod("c1", "node-c", 400, [0], annotations: NoRebalance());
        cluster.SeedInto(kube.Server);
        var sut = CreateSut(cluster, kube, Live(o => o.MaxEvictionsPerNode = 1));

        var first = await sut.RunCycleAsync(Timeouts.Token());
        cluster.State.Remove("uid-a1");
        var second = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal("a1", Assert.Single(first.Outcomes).Move.Pod.Name);
        Assert.Empty(second.Plan.Moves);
    }

    [Fact]
    public async Task RunCycleAsync_PodCacheNotSynced_Skips()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        var pods = cluster.PodSource();
        pods.HasSynced = false;
        var sut = CreateSut(cluster, kube, Live(), pods);

        var result = await sut.RunCycleAsync(Timeouts.Token());

        Assert.NotNull(result.SkippedBecause);
        Assert.Empty(result.Outcomes);
        Assert.Equal(1, _metrics.Cycles);
    }

    [Fact]
    public async Task RunCycleAsync_ClusterStateNotReady_SkipsUntilReady()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        var readiness = new ClusterStateReadiness();
        readiness.MarkNotReady("node informer relisting");
        var sut = CreateSut(cluster, kube, new RebalancerOptions(), cluster.PodSource(), readiness: readiness);

        var first = await sut.RunCycleAsync(Timeouts.Token());
        readiness.MarkReady();
        var second = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Contains("relisting", first.SkippedBecause, StringComparison.Ordinal);
        Assert.Null(second.SkippedBecause);
        Assert.Single(second.Plan.Moves);
    }

    [Fact]
    public async Task RunCycleAsync_TooFewRecentPodsAndNoFallbackMix_Skips()
    {
        await using var kube = await StartAsync();
        var cluster = Pair();
        var sut = CreateSut(cluster, kube, Live(), cluster.PodSource(), noFallback: true);

        var result = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Contains("fallback", result.SkippedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCycleAsync_EnoughRecentPods_UsesTheLiveMix()
    {
        // The live mix of the two placed pods is "half shares" only: a 500-milli card fits them, so nothing is
        // fragmented and nothing moves even though the fallback (whole GPUs) would move a pod.
        await using var kube = await StartAsync();
        var cluster = Pair();
        var sut = CreateSut(cluster, kube, Live(o => o.MinRecentPodsForMix = 2), cluster.PodSource());

        var result = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Null(result.SkippedBecause);
        Assert.Empty(result.Plan.Moves);
        Assert.Equal(0, result.Plan.FragmentationBefore, 6);
    }

    [Fact]
    public async Task RunCycleAsync_StalePodObject_IsNotACandidate()
    {
        await using var kube = await StartAsync();
        var cluster = Pair(bAnnotations: NoRebalance());
        cluster.Pods[0].Metadata.Uid = "uid-of-a-newer-a1";
        var sut = CreateSut(cluster, kube, Live(), cluster.PodSource());

        var result = await sut.RunCycleAsync(Timeouts.Token());

        Assert.Equal(0, result.Plan.Candidates);
    }

    private static JsonObject Pdb(string app, int minAvailable, string? name = null) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "PodDisruptionBudget",
        ["metadata"] = new JsonObject { ["name"] = name ?? app, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["minAvailable"] = minAvailable,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } },
        },
    };
}
