using System.Net;
using k8s;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Faults;

public sealed class FaultInjectorTests
{
    [Fact]
    public async Task FailNext_TwoListsOfPods_FailsThoseThenSucceeds()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock());
        using var client = server.Client();
        var sut = server.Faults;

        var rule = sut.FailNext(2, verb: "list", resource: "pods", statusCode: 503, message: "etcd is sad");

        var first = await ApiAssert.FailsWithAsync(HttpStatusCode.ServiceUnavailable, () => client.CoreV1.ListNamespacedPodAsync("default"));
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await ApiAssert.FailsWithAsync(HttpStatusCode.ServiceUnavailable, () => client.CoreV1.ListNamespacedPodAsync("default"));
        var third = await client.CoreV1.ListNamespacedPodAsync("default");
        Assert.Equal("etcd is sad", (string?)first["message"]);
        Assert.Equal("ServiceUnavailable", (string?)first["reason"]);
        Assert.NotNull(third);
        Assert.Equal((0, 2), (rule.Remaining, rule.Triggered));
    }

    [Fact]
    public async Task FailNext_DefaultCode_Returns500InternalError()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock());
        using var client = server.Client();
        server.Faults.FailNext();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.InternalServerError, () => client.CoreV1.ReadNamespaceAsync("default"));

        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("default"));
    }

    [Fact]
    public async Task FailNext_SubresourcePattern_MatchesOnlyThatSubresource()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock());
        using var client = server.Client();
        server.Seed(Make.Pod("p1").ToJson());
        server.Faults.FailNext(1, resource: "pods/binding", statusCode: 409);

        await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict, () => client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n1"), "p1", "default"));
        await client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n1"), "p1", "default");
    }

    [Fact]
    public async Task AddLatency_GetPod_CompletesOnlyAfterTheServerClockPassesTheDelay()
    {
        var time = TestServer.NewClock();
        await using var server = await TestServer.StartAsync(time);
        using var client = server.Client();
        server.Seed(Make.Pod("p1").ToJson());
        var sut = server.Faults;
        sut.AddLatency(TimeSpan.FromSeconds(5), verb: "get", resource: "pods");
        var ct = TestServer.Generous();

        var read = client.CoreV1.ReadNamespacedPodAsync("p1", "default", cancellationToken: ct);
        await sut.WaitForDelayedRequestsAsync(1, ct);
        time.Advance(TimeSpan.FromSeconds(4));
        var heldAfterFourSeconds = sut.DelayedRequests;
        time.Advance(TimeSpan.FromSeconds(1));
        var pod = await read;

        Assert.Equal(1, heldAfterFourSeconds);
        Assert.Equal("p1", pod.Metadata.Name);
        sut.ClearLatency();
        Assert.NotNull(await client.CoreV1.ReadNamespacedPodAsync("p1", "default", cancellationToken: ct));
    }
}
