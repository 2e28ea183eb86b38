using System.Text.Json.Nodes;
using Lepton.Operator.Binding;
using Lepton.Operator.Resilience;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Operator.Tests.Testing;
using Lepton.Scheduling.Binding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.Binding;

public sealed class ApiServerPodBinderTests : IAsyncLifetime
{
    private TestKube _kube = null!;
    private ApiServerPodBinder _sut = null!;

    public async Task InitializeAsync()
    {
        _kube = await TestKube.StartAsync();
        _kube.Server.Create(EndToEnd.OperatorHarness.NodeJson("n1", 8));
        _kube.Server.Create(EndToEnd.OperatorHarness.NodeJson("n2", 8));
        var pipeline = new KubeApiPipeline(new KubeApiResilienceOptions { BaseDelay = TimeSpan.Zero, Randomizer = () => 0 }, TimeProvider.System);
        _sut = new ApiServerPodBinder(_kube.Client, pipeline, NullLogger<ApiServerPodBinder>.Instance);
    }

    public async Task DisposeAsync() => await _kube.DisposeAsync();

    [Fact]
    public async Task BindAsync_UnboundPod_PostsTheBindingAndRecordsTheCards()
    {
        var uid = CreatePod("p");

        await _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", [1, 3]), Hang.Token());

        var pod = _kube.Server.Get("pods", "default", "p")!;
        Assert.Equal("n1", (string?)pod["spec"]!["nodeName"]);
        Assert.Equal("1,3", (string?)pod["metadata"]!["annotations"]!["lepton.ai/gpu-cards"]);
        var post = Assert.Single(_kube.Server.Requests.Entries, r => r.Subresource == "binding");
        Assert.Equal(("create", "/api/v1/namespaces/default/pods/p/binding", 201), (post.Verb, post.Path, post.StatusCode));
    }

    [Fact]
    public async Task BindAsync_ServerErrorsFirst_RetriedUntilBound()
    {
        var uid = CreatePod("p");
        _kube.Server.Faults.FailNext(2, resource: "pods/binding", statusCode: 503);

        await _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n2", []), Hang.Token());

        Assert.Equal("n2", (string?)_kube.Server.Get("pods", "default", "p")!["spec"]!["nodeName"]);
        Assert.Equal([503, 503, 201], _kube.Server.Requests.Entries.Where(r => r.Subresource == "binding").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task BindAsync_AlreadyBoundToThatNode_Succeeds()
    {
        var uid = CreatePod("p");
        await _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token());

        await _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token());

        Assert.Equal([201, 409], _kube.Server.Requests.Entries.Where(r => r.Subresource == "binding").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task BindAsync_BoundElsewhere_FailsSayingWhere()
    {
        var uid = CreatePod("p");
        await _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token());

        var e = await Assert.ThrowsAsync<PodBindingException>(() => _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n2", []), Hang.Token()).AsTask());

        Assert.Equal("pod default/p is already bound to node n1", e.Message);
    }

    [Fact]
    public async Task BindAsync_GatedPod_FailsWithTheServersReason()
    {
        var uid = CreatePod("p", gated: true);

        var e = await Assert.ThrowsAsync<PodBindingException>(() => _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token()).AsTask());

        Assert.StartsWith("pod default/p cannot be bound now: ", e.Message, StringComparison.Ordinal);
        Assert.Null(_kube.Server.Get("pods", "default", "p")!["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task BindAsync_PodReplacedUnderTheSameName_FailsOnTheUidPrecondition()
    {
        var uid = CreatePod("p");
        _kube.Server.Delete("pods", "default", "p");
        CreatePod("p");

        var e = await Assert.ThrowsAsync<PodBindingException>(() => _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token()).AsTask());

        Assert.StartsWith("pod default/p was replaced", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAsync_CutOffAtTheDeadlineWhileTheApiServerIsSlow_OutcomeUnknown()
    {
        var uid = CreatePod("p");
        _kube.Server.Faults.AddLatency(TimeSpan.FromMinutes(10), resource: "pods/binding");
        using var deadline = new CancellationTokenSource();

        var bind = _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), deadline.Token).AsTask();
        await _kube.Server.Faults.WaitForDelayedRequestsAsync(1, Hang.Token());
        await deadline.CancelAsync();
        var e = await Assert.ThrowsAsync<BindingOutcomeUnknownException>(() => bind);

        Assert.Contains("no answer from the API server", e.Message, StringComparison.Ordinal);
        _kube.Server.Faults.ClearLatency();
    }

    [Fact]
    public async Task BindAsync_GatewayTimeoutsOutlastTheRetries_OutcomeUnknown()
    {
        var uid = CreatePod("p");
        _kube.Server.Faults.FailNext(100, resource: "pods/binding", statusCode: 504);

        var e = await Assert.ThrowsAsync<BindingOutcomeUnknownException>(() => _sut.BindAsync(new PodBindingRequest("default", "p", uid, "n1", []), Hang.Token()).AsTask());

        Assert.StartsWith("binding pod default/p to node n1: no answer from the API server", e.Message, StringComparison.Ordinal);
    }

    private string CreatePod(string name, bool gated = false)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) };
        if (gated)
        {
            spec["schedulingGates"] = new JsonArray(new JsonObject { ["name"] = "lepton.ai/gang" });
        }

        var pod = _kube.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = spec,
        });
        return (string)pod["metadata"]!["uid"]!;
    }
}
