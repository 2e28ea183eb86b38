using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s.Models;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// Plays kube-scheduler's <c>lepton-scheduler</c> profile for end-to-end tests: every ungated, unbound pod of that
/// scheduler goes through the simulator's <see cref="KubeSchedulerEmulator"/> (in-tree fit, then Lepton's
/// filter, prioritize and bind over the in-process extender). A pod nobody can take waits, and is tried again
/// when a pod frees room or when the extender's cluster state changes (kube-scheduler's requeue on cluster events).
/// One loop, so the emulator is never used concurrently.
/// </summary>
public sealed class FakeKubeScheduler : IAsyncDisposable
{
    private readonly ObjectWatch<V1Pod> _pods;
    private readonly KubeObjectMapper _mapper;
    private readonly KubeSchedulerEmulator _emulator;
    private readonly string _schedulerName;
    private readonly Channel<object> _work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, (PodDemand Pod, string Node)> _accounted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unschedulable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NamespacedName> _keys = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _retryQueued;

    public FakeKubeScheduler(ObjectWatch<V1Pod> pods, IEnumerable<NodeInventory> nodes, Func<LeptonExtender> extender, KubeObjectMapper mapper, string schedulerName = "lepton-scheduler")
        : this(pods, nodes, self => new LeptonExtenderBackend(extender, self.PodByUid), mapper, schedulerName)
    {
    }

    /// <summary>With an extender seam of the test's (calls spread over replicas, say).</summary>
    public FakeKubeScheduler(ObjectWatch<V1Pod> pods, IEnumerable<NodeInventory> nodes, Func<FakeKubeScheduler, IExtenderBackend> backendOf, KubeObjectMapper mapper, string schedulerName = "lepton-scheduler")
    {
        _pods = pods;
        _mapper = mapper;
        _schedulerName = schedulerName;
        var backend = backendOf(this);
        _emulator = new KubeSchedulerEmulator(nodes, backend, new KubeSchedulerOptions { ExtenderWeight = 5 }, new Random(7));
        _subscription = pods.Subscribe(e => _work.Writer.TryWrite(e));
        _loop = Task.Run(RunAsync);
    }

    public int Attempts { get; private set; }

    /// <summary>How long a pod whose cycle a standby refused waits before its retry (kube-scheduler's pod backoff).</summary>
    public TimeSpan RefusalBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Cycles that failed because a replica refused a verb (standby) and were retried at once.</summary>
    public int RefusedCycles { get; private set; }

    /// <summary>The scheduler's cached pod of a UID (what kube-scheduler sends in a request).</summary>
    public V1Pod? PodByUid(string uid) => _keys.TryGetValue(uid, out var key) ? _pods.Cache.Get(key) : null;

    public ConcurrentDictionary<string, string> LastFailure { get; } = new(StringComparer.Ordinal);

    /// <summary>Asks for another attempt at every waiting pod (coalesced).</summary>
    public void RetryUnschedulable()
    {
        if (Interlocked.Exchange(ref _retryQueued, 1) == 0)
        {
            _work.Writer.TryWrite(Retry.Instance);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _work.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private bool IsSchedulable(V1Pod pod) =>
        pod.Spec?.SchedulerName == _schedulerName
        && string.IsNullOrEmpty(pod.Spec.NodeName)
        && (pod.Spec.SchedulingGates is null || pod.Spec.SchedulingGates.Count == 0)
        && pod.Metadata.DeletionTimestamp is null
        && !IsTerminal(pod);

    private async Task RunAsync()
    {
        await foreach (var item in _work.Reader.ReadAllAsync(_stop.Token))
        {
            if (item is RetryPod one)
            {
                await TryScheduleAsync(one.Uid);
                continue;
            }

            if (item is Retry)
            {
                Interlocked.Exchange(ref _retryQueued, 0);
                foreach (var waiting in _unschedulable.ToList())
                {
                    await TryScheduleAsync(waiting);
                }

                continue;
            }

            var e = (ResourceEvent<V1Pod>)item;
            var pod = e.Object;
            var uid = pod.Metadata.Uid;
            _keys[uid] = NamespacedName.Of(pod);
            if (e.Type == ResourceEventType.Deleted || IsTerminal(pod))
            {
                _unschedulable.Remove(uid);
                if (_accounted.Remove(uid, out var gone))
                {
                    _emulator.RemovePod(gone.Pod, gone.Node);
                    RetryUnschedulable();
                }

                continue;
            }

            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                _unschedulable.Remove(uid);
                if (!_accounted.ContainsKey(uid))
                {
                    var demand = _mapper.ToDemand(pod);
                    _emulator.AddPod(demand, pod.Spec.NodeName);
                    _accounted[uid] = (demand, pod.Spec.NodeName);
                }

                continue;
            }

            if (IsSchedulable(pod))
            {
                await TryScheduleAsync(uid);
            }
        }
    }

    private async Task TryScheduleAsync(string uid)
    {
        if (!_keys.TryGetValue(uid, out var key) || _pods.Cache.Get(key) is not { } pod || pod.Metadata.Uid != uid || !IsSchedulable(pod) || _accounted.ContainsKey(uid))
        {
            _unschedulable.Remove(uid);
            return;
        }

        Attempts++;
        var demand = _mapper.ToDemand(pod);
        KubeScheduleOutcome outcome;
        try
        {
            outcome = await _emulator.ScheduleAsync(demand, _stop.Token);
        }
        catch (ExtenderRefusedException e)
        {
            outcome = new KubeScheduleOutcome(null, 0, 0, e.Message);
        }

        if (!outcome.Bound && outcome.Failure?.Contains("not serving", StringComparison.Ordinal) == true)
        {
            // kube-scheduler fails the cycle and retries after its backoff (podInitialBackoffSeconds,
            // 1 s by default; shortened here); the retry's new connection reaches whichever replica
            // the Service routes it to. Without a backoff, a cluster with no serving replica spins.
            RefusedCycles++;
            _unschedulable.Add(uid);
            _ = Task.Delay(RefusalBackoff, _stop.Token).ContinueWith(_ => _work.Writer.TryWrite(new RetryPod(uid)), TaskScheduler.Default);
            return;
        }

        if (outcome.Bound)
        {
            _accounted[uid] = (demand, outcome.NodeName!);
            _unschedulable.Remove(uid);
            LastFailure.TryRemove(uid, out _);
        }
        else
        {
            _unschedulable.Add(uid);
            LastFailure[uid] = outcome.Failure ?? "unschedulable";
        }
    }

    private sealed record RetryPod(string Uid);

    private sealed class Retry
    {
        public static readonly Retry Instance = new();
    }
}
