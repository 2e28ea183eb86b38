using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Serving;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing.KubeApiServer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Serving;

/// <summary>DECISIONS.md 19: only the leader serves, and only once its caches hold a list read after it acquired the lease.</summary>
public sealed class LeaderServingGateTests : IAsyncLifetime
{
    private readonly ManualLeaderElector _elector = new();
    private readonly ScriptedInformer _nodes = new();
    private readonly ScriptedInformer _pods = new();
    private KubeApiTestServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private LeaderServingGate _sut = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiTestServer.StartAsync();
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        _server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "lepton-system" } });
        _server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "lepton-0", ["namespace"] = "lepton-system" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "i" }) },
        });
        _sut = new LeaderServingGate(
            _elector,
            new InformerAdapter<V1Node>(_nodes),
            new InformerAdapter<V1Pod>(_pods),
            _client,
            Options.Create(new OperatorOptions { PodName = "lepton-0", PodNamespace = "lepton-system" }),
            NullLogger<LeaderServingGate>.Instance);
        await _sut.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _sut.StopAsync(CancellationToken.None);
        _sut.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Standby_NotServing_AndNoRelist()
    {
        Assert.False(_sut.IsServing);
        Assert.Equal("standby: not the leader", _sut.Reason);
        Assert.Equal(0, _nodes.Relists + _pods.Relists);
        Assert.Null(await LabelAsync());
    }

    [Fact]
    public async Task Elected_ServesOnlyAfterBothCachesRelistedAfterTheLease_ThenLabelsItsPod()
    {
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sut.Serving += () => serving.TrySetResult();

        _elector.Grant();
        var whileSyncing = (_sut.IsServing, _sut.Reason);
        _nodes.CompleteRelist();
        var afterNodesOnly = _sut.IsServing;
        _pods.CompleteRelist();
        await serving.Task.WaitAsync(Timeouts.Token());

        Assert.Equal((false, "leader, syncing caches read after acquiring the lease"), whileSyncing);
        Assert.False(afterNodesOnly);
        Assert.True(_sut.IsServing);
        Assert.Equal(1, _nodes.Relists);
        Assert.Equal(1, _pods.Relists);
        await _sut.Takeover.WaitAsync(Timeouts.Token());
        Assert.Equal("leader", await LabelAsync());
    }

    [Fact]
    public async Task LeadershipLost_StopsServingAtOnce_AndRemovesTheLabel()
    {
        _elector.Grant();
        _nodes.CompleteRelist();
        _pods.CompleteRelist();
        await _sut.Takeover.WaitAsync(Timeouts.Token());
        Assert.True(_sut.IsServing);
        Assert.Equal("leader", await LabelAsync());

        _elector.Revoke();
        var reason = (_sut.IsServing, _sut.Reason);
        await _sut.Labelling.WaitAsync(Timeouts.Token());

        Assert.Equal((false, "standby: not the leader"), reason);
        Assert.Null(await LabelAsync());
    }

    [Fact]
    public async Task LeadershipLostBeforeTheRelist_NeverServes()
    {
        _elector.Grant();
        var takeover = _sut.Takeover;
        _elector.Revoke();
        _nodes.CompleteRelist();
        _pods.CompleteRelist();
        await takeover.WaitAsync(Timeouts.Token());

        Assert.False(_sut.IsServing);
        Assert.Null(await LabelAsync());
    }

    private async Task<string?> LabelAsync()
    {
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("lepton-0", "lepton-system");
        return pod.Metadata.Labels?.TryGetValue(OperatorOptions.LeaderLabel, out var v) == true ? v : null;
    }

    /// <summary>An informer whose relist completes when the test says.</summary>
    private sealed class ScriptedInformer
    {
        private readonly TaskCompletionSource _relist = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Relists { get; private set; }

        public Task RelistAsync(CancellationToken cancellationToken)
        {
            Relists++;
            return _relist.Task.WaitAsync(cancellationToken);
        }

        public void CompleteRelist() => _relist.TrySetResult();
    }

    private sealed class InformerAdapter<T>(ScriptedInformer script) : IResourceInformer<T>
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        public string ResourceName => typeof(T).Name;

        public bool HasSynced => true;

        public DateTimeOffset? FailingSince => null;

        public string? LastError => null;

        public IObjectCache<T> Cache => throw new NotSupportedException();

        public Task ReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RelistAsync(CancellationToken cancellationToken) => script.RelistAsync(cancellationToken);

        public IDisposable Subscribe(Action<ResourceEvent<T>> handler) => throw new NotSupportedException();

        public IDisposable SubscribeFirst(Action<ResourceEvent<T>> handler) => throw new NotSupportedException();
    }
}
