using System.Text.Json.Nodes;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Sync;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.Sync;

public sealed class ClusterStateSyncTests : IAsyncLifetime
{
    private readonly ClusterState _state = new();
    private readonly ClusterStateReadiness _readiness = new();
    private readonly CancellationTokenSource _stop = new();
    private TestKube _kube = null!;
    private ObjectWatch<V1Node> _nodes = null!;
    private ObjectWatch<V1Pod> _pods = null!;
    private ClusterStateSync _sut = null!;

    public async Task InitializeAsync()
    {
        _kube = await TestKube.StartAsync();
        _kube.Server.Create(OperatorHarness.NodeJson("n0", 8));
        _kube.Server.Create(OperatorHarness.NodeJson("n1", 8));
        _kube.Server.Seed(Pod("other-scheduler", "n0", gpus: 2, phase: "Running"));
        _kube.Server.Seed(Pod("pending", null, gpus: 1, phase: "Pending"));
        _kube.Server.Seed(Pod("finished", "n1", gpus: 8, phase: "Succeeded"));
        _nodes = new ObjectWatch<V1Node>(_kube.Client);
        _pods = new ObjectWatch<V1Pod>(_kube.Client);
        _sut = new ClusterStateSync(_state, new KubeObjectMapper(), _nodes.Informer, _pods.Informer, _readiness, NullLogger<ClusterStateSync>.Instance);
    }

    public async Task DisposeAsync()
    {
        _sut.Dispose();
        await _pods.DisposeAsync();
        await _nodes.DisposeAsync();
        await _kube.DisposeAsync();
    }

    [Fact]
    public async Task WaitForSyncAndMarkReadyAsync_ListedNodesAndPods_AccountsBoundLivePodsOfEverySchedulerThenReady()
    {
        Assert.False(_readiness.IsReady);

        await _sut.WaitForSyncAndMarkReadyAsync(Hang.Token());

        Assert.True(_readiness.IsReady);
        Assert.Equal(2, _state.NodeCount);
        var placed = Assert.Single(_state.Pods());
        Assert.Equal(("default/other-scheduler", "n0", PlacementPhase.Bound), (placed.Pod.Key, placed.NodeName, placed.Phase));
        Assert.True(_state.TryGetNode("n0", out var n0));
        Assert.Equal(6, n0.FullyFreeCards);
    }

    [Fact]
    public async Task Events_PodsBoundFinishedDeletedAndNodesRemoved_KeepTheStateInStep()
    {
        await _sut.WaitForSyncAndMarkReadyAsync(Hang.Token());

        _kube.Server.Modify("pods", "default", "pending", p => p["spec"]!["nodeName"] = "n1");
        await Until(() => _state.TryGetPod(Uid("pending"), out var p) && p.NodeName == "n1", "the newly bound pod is confirmed");
        _kube.Server.Modify("pods", "default", "other-scheduler", p => p["status"]!["phase"] = "Failed");
        await Until(() => !_state.TryGetPod(Uid("other-scheduler"), out _), "the failed pod is removed");
        _kube.Server.Delete("pods", "default", "pending");
        await Until(() => _state.PodCount == 0, "the deleted pod is removed");
        _kube.Server.Delete("nodes", null, "n1");
        await Until(() => _state.NodeCount == 1, "the deleted node is removed");

        Assert.True(_state.TryGetNode("n0", out var n0));
        Assert.Equal(8, n0.FullyFreeCards);
    }

    [Fact]
    public async Task Events_UnmappablePod_SkippedAndTheInformerGoesOn()
    {
        await _sut.WaitForSyncAndMarkReadyAsync(Hang.Token());
        var bad = Pod("bad", "n1", gpus: 1, phase: "Running");
        bad["metadata"]!["annotations"] = new JsonObject { ["lepton.ai/gpu-milli"] = "lots" };

        _kube.Server.Seed(bad);
        _kube.Server.Seed(Pod("good", "n1", gpus: 1, phase: "Running"));
        await Until(() => _state.TryGetPod(Uid("good"), out _), "the next pod is accounted");

        Assert.Equal(1, _sut.Skipped);
        Assert.False(_state.TryGetPod(Uid("bad"), out _));
    }

    private string Uid(string name) => (string)_kube.Server.Get("pods", "default", name)?["metadata"]!["uid"]! ?? "gone-" + name;

    /// <summary>Waits on the cluster state's own change events (no timers).</summary>
    private async Task Until(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(Hang.Timeout);
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChanged() => changed.TrySetResult();
            _state.Changed += OnChanged;
            try
            {
                if (condition())
                {
                    return;
                }

                await changed.Task.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }
            finally
            {
                _state.Changed -= OnChanged;
            }
        }
    }

    private static JsonObject Pod(string name, string? node, int gpus, string phase)
    {
        var spec = new JsonObject
        {
            ["schedulerName"] = "default-scheduler",
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c",
                ["image"] = "busybox",
                ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            }),
        };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = phase },
        };
    }
}
