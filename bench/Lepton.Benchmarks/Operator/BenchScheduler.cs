using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Lepton.Kubernetes.Wire;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Benchmarks.Operator;

/// <summary>
/// kube-scheduler and kubelets, minimal: an ungated, unbound <c>lepton-scheduler</c> pod is filtered, prioritized
/// and bound through the operator's in-process extender (so the binding is posted by the operator's binder); a
/// bound pod is set Running. Pods that do not fit wait and are retried when the cluster state changes.
/// </summary>
internal sealed class BenchScheduler : IAsyncDisposable
{
    private readonly BenchOperator _operator;
    private readonly KubeApiTestServer _server;
    private readonly List<string> _nodes;
    private readonly Channel<NamespacedName> _schedule = Channel.CreateUnbounded<NamespacedName>();
    private readonly Channel<NamespacedName> _run = Channel.CreateUnbounded<NamespacedName>();
    private readonly HashSet<NamespacedName> _waiting = [];
    private readonly IDisposable _subscription;
    private readonly Task[] _loops;
    private int _retry;

    public BenchScheduler(BenchOperator op, KubeApiTestServer server, IEnumerable<string> nodes)
    {
        _operator = op;
        _server = server;
        _nodes = [.. nodes];
        _subscription = op.Pods.Subscribe(OnPod);
        op.State.Changed += () =>
        {
            if (Interlocked.Exchange(ref _retry, 1) == 0)
            {
                _schedule.Writer.TryWrite(default);
            }
        };
        _loops = [Task.Run(ScheduleLoopAsync), Task.Run(RunLoopAsync)];
    }

    public int Bound { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _schedule.Writer.TryComplete();
        _run.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private static bool Schedulable(V1Pod p) =>
        p.Spec?.SchedulerName == "lepton-scheduler" && string.IsNullOrEmpty(p.Spec.NodeName)
        && (p.Spec.SchedulingGates?.Count ?? 0) == 0 && p.Metadata.DeletionTimestamp is null && p.Status?.Phase is null or "Pending";

    private void OnPod(ResourceEvent<V1Pod> e)
    {
        if (e.NewObject is not { } pod)
        {
            return;
        }

        if (Schedulable(pod))
        {
            _schedule.Writer.TryWrite(NamespacedName.Of(pod));
        }
        else if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Status?.Phase is null or "Pending")
        {
            _run.Writer.TryWrite(NamespacedName.Of(pod));
        }
    }

    private async Task ScheduleLoopAsync()
    {
        await foreach (var key in _schedule.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (key == default)
            {
                Interlocked.Exchange(ref _retry, 0);
                foreach (var waiting in _waiting.ToList())
                {
                    await TryScheduleAsync(waiting).ConfigureAwait(false);
                }

                continue;
            }

            await TryScheduleAsync(key).ConfigureAwait(false);
        }
    }

    private async Task TryScheduleAsync(NamespacedName key)
    {
        if (_operator.Pods.Cache.Get(key) is not { } pod || !Schedulable(pod))
        {
            _waiting.Remove(key);
            return;
        }

        using var document = JsonDocument.Parse(KubernetesJson.Serialize(pod));
        var args = new ExtenderArgs { Pod = document.RootElement.Clone(), NodeNames = _nodes };
        var filtered = _operator.Extender.Filter(args);
        if (filtered.NodeNames is not { Count: > 0 } feasible)
        {
            _waiting.Add(key);
            return;
        }

        var host = feasible[0];
        if (feasible.Count > 1)
        {
            var scores = _operator.Extender.Prioritize(new ExtenderArgs { Pod = args.Pod, NodeNames = feasible });
            host = scores.MaxBy(s => s.Score)!.Host;
        }

        var result = await _operator.Extender.BindAsync(
            new ExtenderBindingArgs { PodName = pod.Metadata.Name, PodNamespace = pod.Metadata.NamespaceProperty, PodUID = pod.Metadata.Uid, Node = host },
            CancellationToken.None).ConfigureAwait(false);
        if (string.IsNullOrEmpty(result.Error))
        {
            _waiting.Remove(key);
            Bound++;
        }
        else
        {
            _waiting.Add(key);
        }
    }

    private async Task RunLoopAsync()
    {
        await foreach (var key in _run.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _server.Modify("pods", key.Namespace, key.Name, p =>
                {
                    if (p["spec"]?["nodeName"] is not null && (string?)p["status"]?["phase"] is null or "Pending")
                    {
                        p["status"] ??= new System.Text.Json.Nodes.JsonObject();
                        p["status"]!["phase"] = "Running";
                    }
                });
            }
            catch (Lepton.Testing.KubeApiServer.Errors.KubeApiException)
            {
                // Gone.
            }
        }
    }
}
