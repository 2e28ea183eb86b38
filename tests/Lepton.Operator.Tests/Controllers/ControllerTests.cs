using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Resilience;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.Controllers;

public sealed class ControllerTests : IAsyncDisposable
{
    private static readonly NamespacedName A = new("default", "a");
    private static readonly NamespacedName B = new("default", "b");

    private readonly TestClock _clock = new();
    private readonly OperatorMetrics _metrics = TestMetrics.Create();
    private readonly FakeListerWatcher<V1ConfigMap> _api = new();
    private readonly ResourceInformer<V1ConfigMap> _informer;
    private readonly ScriptedReconciler<V1ConfigMap> _reconciler;
    private readonly List<(CancellationTokenSource Stop, Task Run)> _runs = [];
    private bool _informerStarted;

    public ControllerTests()
    {
        _informer = Informer(_api);
        _reconciler = new ScriptedReconciler<V1ConfigMap>(_clock);
    }

    [Fact]
    public async Task RunAsync_ObjectsInCache_ReconcilesEachKeyOnceAfterSync()
    {
        _api.Items.AddRange([Make.ConfigMap("a", "1"), Make.ConfigMap("b", "2")]);
        using var sut = Controller();

        Start(sut);
        var calls = new[] { await NextCall(), await NextCall() };
        await Idle(sut);

        Assert.Equal([A, B], calls.Select(c => c.Key).OrderBy(k => k.ToString()));
        Assert.False(_reconciler.TryNextCall(out _));
        Assert.Equal(2, _metrics.ReconcileTotal.WithLabels("test", "success").Value);
    }

    [Fact]
    public async Task RunAsync_ResyncPeriodSet_ReconcilesEveryCachedKeyAgainEachPeriod()
    {
        _api.Items.AddRange([Make.ConfigMap("a", "1"), Make.ConfigMap("b", "2")]);
        using var sut = Controller(resync: TimeSpan.FromMinutes(10));

        Start(sut);
        await NextCall();
        await NextCall();
        await Idle(sut);
        var rounds = new List<(TimeSpan At, string Keys)>();
        for (var round = 0; round < 2; round++)
        {
            await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMinutes(10), Timeouts.Token());
            var calls = new[] { await NextCall(), await NextCall() };
            rounds.Add((calls[0].At - TestClock.Epoch, string.Join(" ", calls.Select(c => c.Key.ToString()).Order())));
            await Idle(sut);
        }

        Assert.Equal([(TimeSpan.FromMinutes(10), "default/a default/b"), (TimeSpan.FromMinutes(20), "default/a default/b")], rounds);
        Assert.False(_reconciler.TryNextCall(out _));
    }

    [Fact]
    public async Task RunAsync_ReconcileKeepsFailing_RetriedWithPerKeyExponentialBackoffUntilItSucceeds()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        _reconciler.Behavior = (_, attempt, _) => attempt <= 4 ? throw new InvalidOperationException("boom") : Task.FromResult(ReconcileResult.Done);
        using var sut = Controller();

        Start(sut);
        var times = new List<TimeSpan> { (await NextCall()).At - TestClock.Epoch };
        foreach (var backoff in new[] { 5, 10, 20, 40 })
        {
            await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(backoff), Timeouts.Token());
            times.Add((await NextCall()).At - TestClock.Epoch);
        }

        await Idle(sut);

        Assert.Equal([0, 5, 15, 35, 75], times.Select(t => t.TotalMilliseconds));
        Assert.Equal(0, sut.Queue.NumRequeues(A));
        Assert.Equal(4, _metrics.ReconcileTotal.WithLabels("test", "error").Value);
        Assert.Equal(4, _metrics.ReconcileErrors.WithLabels("test").Value);
        Assert.Equal(1, _metrics.ReconcileTotal.WithLabels("test", "success").Value);
        Assert.DoesNotContain(_clock.PendingTimers(), t => t < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task RunAsync_TerminalReconcileException_IsNotRetriedUntilTheObjectChanges()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        _reconciler.Behavior = (_, attempt, _) => attempt == 1 ? throw new TerminalReconcileException("bad spec") : Task.FromResult(ReconcileResult.Done);
        using var sut = Controller();

        Start(sut);
        await NextCall();
        await Idle(sut);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(_reconciler.TryNextCall(out _));
        Assert.DoesNotContain(_clock.PendingTimers(), t => t < TimeSpan.FromMinutes(1));
        Assert.Equal(1, _metrics.ReconcileErrors.WithLabels("test").Value);

        (await _api.NextWatchAsync(Timeouts.Token())).Send(WatchEventType.Modified, Make.ConfigMap("a", "2"), "2");
        Assert.Equal(2, (await NextCall()).Attempt);
    }

    [Fact]
    public async Task RunAsync_RequeueAfter_ReconcilesAgainAfterTheDelayThroughTheQueue()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        _reconciler.Behavior = (_, attempt, _) => Task.FromResult(attempt == 1 ? ReconcileResult.After(TimeSpan.FromSeconds(30)) : ReconcileResult.Done);
        using var sut = Controller();

        Start(sut);
        await NextCall();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(30), Timeouts.Token());
        var second = await NextCall();

        Assert.Equal(TestClock.Epoch.AddSeconds(30), second.At);
        Assert.Equal(1, _metrics.ReconcileTotal.WithLabels("test", "requeue_after").Value);
    }

    [Fact]
    public async Task RunAsync_RequeueAfterPendingAndAnEventArrives_ReconcilesOnceNowAndKeepsTheEarlierTime()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        _reconciler.Behavior = (_, attempt, _) => Task.FromResult(ReconcileResult.After(TimeSpan.FromSeconds(30)));
        using var sut = Controller();

        Start(sut);
        await NextCall();
        (await _api.NextWatchAsync(Timeouts.Token())).Send(WatchEventType.Modified, Make.ConfigMap("a", "2"), "2");
        await NextCall();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(30), Timeouts.Token());
        var third = await NextCall();

        Assert.Equal(TestClock.Epoch.AddSeconds(30), third.At);
        Assert.Equal(0, _reconciler.Overlaps);
    }

    [Fact]
    public async Task RunAsync_Conflict_RequeuedWithBackoffAndCountedAsRequeueNotError()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        _reconciler.Behavior = (_, attempt, _) => attempt == 1 ? throw new ConflictException("stale") : Task.FromResult(ReconcileResult.Done);
        using var sut = Controller();

        Start(sut);
        await NextCall();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(5), Timeouts.Token());
        await NextCall();
        await Idle(sut);

        Assert.Equal(1, _metrics.ReconcileTotal.WithLabels("test", "requeue").Value);
        Assert.Equal(0, _metrics.ReconcileErrors.WithLabels("test").Value);
    }

    [Fact]
    public async Task RunAsync_EventsWhileReconciling_ReconcileAgainAfterwardsNeverConcurrently()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        var release = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reconciler.Behavior = (_, attempt, _) => attempt == 1 ? release.Task : Task.FromResult(ReconcileResult.Done);
        using var sut = Controller(workers: 4);

        Start(sut);
        await NextCall();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        watch.Send(WatchEventType.Modified, Make.ConfigMap("a", "2"), "2");
        watch.Send(WatchEventType.Modified, Make.ConfigMap("a", "3"), "3");
        watch.Send(WatchEventType.Added, Make.ConfigMap("b", "4"), "4");
        Assert.Equal(B, (await NextCall()).Key);

        release.SetResult(ReconcileResult.Done);
        var again = await NextCall();
        await Idle(sut);

        Assert.Equal(A, again.Key);
        Assert.Equal(2, _reconciler.Attempts(A));
        Assert.Equal(0, _reconciler.Overlaps);
    }

    [Fact]
    public async Task RunAsync_ThreeWorkers_ReconcileDifferentKeysInParallel()
    {
        _api.Items.AddRange([Make.ConfigMap("a", "1"), Make.ConfigMap("b", "2"), Make.ConfigMap("c", "3")]);
        var gate = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reconciler.Behavior = (_, _, _) => gate.Task;
        using var sut = Controller(workers: 3);

        Start(sut);
        await NextCall();
        await NextCall();
        await NextCall();
        gate.SetResult(ReconcileResult.Done);
        await Idle(sut);

        Assert.Equal(3, _reconciler.MaxConcurrent);
    }

    [Fact]
    public async Task RunAsync_SecondaryInformerNotSynced_WaitsBeforeReconcilingAnything()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        var podsApi = new FakeListerWatcher<V1Pod>();
        podsApi.Items.Add(Make.V1Pod("p1", "1", ownerUid: "x"));
        var pods = new ResourceInformer<V1Pod>(podsApi, new InformerOptions { Randomizer = () => 0 }, _clock, NullLogger<ResourceInformer<V1Pod>>.Instance);
        using var sut = Controller();
        sut.Watch(pods, e => [new NamespacedName(e.Object.Namespace(), "from-" + e.Object.Name())]);

        Start(sut);
        await _informer.ReadyAsync(Timeouts.Token());
        Assert.False(_reconciler.TryNextCall(out _));
        Start(pods);
        var calls = new[] { await NextCall(), await NextCall() };

        Assert.Equal([A, new NamespacedName("default", "from-p1")], calls.Select(c => c.Key).OrderBy(k => k.ToString()));
    }

    [Fact]
    public async Task RunAsync_NotLeader_QueuesKeysButReconcilesOnlyDuringALeadershipTerm()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        var elector = new ManualLeaderElector();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reconciler.Behavior = async (_, attempt, ct) =>
        {
            if (attempt == 1)
            {
                await using var registration = ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.InfiniteTimeSpan, _clock, ct);
            }

            return ReconcileResult.Done;
        };
        using var sut = Controller(elector: elector);

        Start(sut);
        await _informer.ReadyAsync(Timeouts.Token());
        Assert.False(_reconciler.TryNextCall(out _));

        elector.Grant();
        await NextCall();
        elector.Revoke();
        await cancelled.Task.WaitAsync(Timeouts.Token());
        elector.Grant();
        var second = await NextCall();

        Assert.Equal((A, 2), (second.Key, second.Attempt));
        Assert.Equal(0, _reconciler.Overlaps);
    }

    [Fact]
    public async Task RunAsync_TwoReplicasWithLeaseElection_OnlyTheLeaderReconcilesAndTheOtherTakesOverOnRelease()
    {
        var lease = new InMemoryLeaseLock();
        var apiB = new FakeListerWatcher<V1ConfigMap>();
        foreach (var api in new[] { _api, apiB })
        {
            api.Items.AddRange([Make.ConfigMap("a", "1"), Make.ConfigMap("b", "2")]);
        }

        var electorA = Elector(lease, "a");
        var electorB = Elector(lease, "b");
        var reconcilerB = new ScriptedReconciler<V1ConfigMap>(_clock);
        var informerB = Informer(apiB);
        using var controllerA = Controller(elector: electorA);
        using var controllerB = new Controller<V1ConfigMap>("test", informerB, reconcilerB, electorB, new ControllerOptions(), _clock, NullLogger<Controller<V1ConfigMap>>.Instance);

        var runA = Start(electorA);
        await electorA.WaitForLeadershipAsync(Timeouts.Token());
        Start(electorB);
        Start(controllerA);
        Start(informerB);
        Start(controllerB);
        await informerB.ReadyAsync(Timeouts.Token());
        var callsA = new[] { await NextCall(), await NextCall() };
        await Idle(controllerA);

        Assert.False(reconcilerB.TryNextCall(out _));

        await runA.Stop.CancelAsync();
        await runA.Run.WaitAsync(Timeouts.Token());
        await _clock.WaitForTimerAsync(left => left == TimeSpan.FromSeconds(2), Timeouts.Token());
        _clock.Advance(TimeSpan.FromSeconds(2));
        var callsB = new[] { await reconcilerB.NextCallAsync(Timeouts.Token()), await reconcilerB.NextCallAsync(Timeouts.Token()) };

        Assert.Equal([A, B], callsA.Select(c => c.Key).OrderBy(k => k.ToString()));
        Assert.Equal([A, B], callsB.Select(c => c.Key).OrderBy(k => k.ToString()));
        Assert.True(electorB.IsLeader);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndShutsTheQueueDown()
    {
        using var sut = Controller();
        var run = Start(sut);
        await _informer.ReadyAsync(Timeouts.Token());

        await run.Stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Run);
        Assert.True(sut.Queue.IsShuttingDown);
    }

    [Fact]
    public async Task RunAsync_DisposedWhileLeading_ReturnsInsteadOfRestartingWorkers()
    {
        var sut = Controller(workers: 2);
        var run = Start(sut);
        await _informer.ReadyAsync(Timeouts.Token());

        sut.Dispose();

        // Before the fix the always-leader loop restarted workers that returned at once, forever (a hot loop).
        await run.Run.WaitAsync(Timeouts.Token());
        Assert.False(run.Stop.IsCancellationRequested);
        Assert.True(sut.Queue.IsShuttingDown);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, run) in Enumerable.Reverse(_runs))
        {
            await stop.CancelAsync();
            try
            {
                await run.WaitAsync(Timeouts.Token());
            }
            catch (OperationCanceledException)
            {
            }

            stop.Dispose();
        }
    }

    private ResourceInformer<V1ConfigMap> Informer(FakeListerWatcher<V1ConfigMap> api)
        => new(api, new InformerOptions { Randomizer = () => 0 }, _clock, NullLogger<ResourceInformer<V1ConfigMap>>.Instance);

    private Controller<V1ConfigMap> Controller(int workers = 1, ILeaderElector? elector = null, TimeSpan? resync = null) => new(
        "test",
        _informer,
        _reconciler,
        elector ?? new AlwaysLeaderElector("only"),
        new ControllerOptions { Workers = workers, ResyncPeriod = resync },
        _clock,
        NullLogger<Controller<V1ConfigMap>>.Instance,
        _metrics);

    private LeaseLeaderElector Elector(ILeaseLock lease, string identity) => new(
        lease,
        new LeaderElectionOptions { Identity = identity, Randomizer = () => 0 },
        _clock,
        NullLogger<LeaseLeaderElector>.Instance);

    /// <summary>Starts the controller, and the primary informer once (after the test has set up the API's objects).</summary>
    private (CancellationTokenSource Stop, Task Run) Start(Controller<V1ConfigMap> controller)
    {
        if (!_informerStarted)
        {
            _informerStarted = true;
            Start(_informer);
        }

        return Start(controller.RunAsync);
    }

    private (CancellationTokenSource Stop, Task Run) Start(IInformer informer) => Start(informer.RunAsync);

    private (CancellationTokenSource Stop, Task Run) Start(LeaseLeaderElector elector) => Start(elector.RunAsync);

    private (CancellationTokenSource Stop, Task Run) Start(Func<CancellationToken, Task> run)
    {
        var stop = new CancellationTokenSource();
        var entry = (stop, Task.Run(() => run(stop.Token)));
        _runs.Add(entry);
        return entry;
    }

    private async Task<ReconcileCall> NextCall() => await _reconciler.NextCallAsync(Timeouts.Token());

    /// <summary>Waits, reconcile by reconcile, until no key is queued or being processed (delayed keys may remain).</summary>
    private static async Task Idle(Controller<V1ConfigMap> controller)
    {
        var queue = (Lepton.Operator.Controllers.Queue.WorkQueue<NamespacedName>)controller.Queue;
        var ct = Timeouts.Token();
        var changed = new System.Threading.Channels.UnboundedChannelOptions();
        var completions = System.Threading.Channels.Channel.CreateUnbounded<bool>(changed);
        void OnReconciled(NamespacedName key, string result) => completions.Writer.TryWrite(true);
        controller.Reconciled += OnReconciled;
        try
        {
            while (queue.Count > 0 || queue.ProcessingCount > 0)
            {
                await completions.Reader.ReadAsync(ct);
            }
        }
        finally
        {
            controller.Reconciled -= OnReconciled;
        }
    }
}
