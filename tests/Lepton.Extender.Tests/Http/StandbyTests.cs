using System.Net;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Scheduling.Serving;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Http;

/// <summary>DECISIONS.md 19: a replica that is not serving refuses every verb so that kube-scheduler retries, closes the connection, and never binds.</summary>
public sealed class StandbyTests
{
    private sealed class SwitchableGate : IServingGate
    {
        public bool IsServing { get; set; }

        public string Reason => IsServing ? string.Empty : "standby: not the leader";
    }

    private static async Task<(HttpStatusCode Status, bool ConnectionClose, string Body)> PostAsync(ExtenderTestServer server, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri(server.Address, path), content);
        return (response.StatusCode, response.Headers.ConnectionClose == true, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryVerb_Standby_RefusedSoKubeSchedulerRetries_AndConnectionClosed()
    {
        var gate = new SwitchableGate();
        var pod = Make.PodJson("p").Gpus(1);
        await using var sut = await ExtenderTestServer.StartAsync(null, gate, Make.GpuNode("n"));
        sut.WithPods(pod);

        var filter = await PostAsync(sut, "/filter", Requests.NodeNames(pod, "n"));
        var prioritize = await PostAsync(sut, "/prioritize", Requests.NodeNames(pod, "n"));
        var bind = await PostAsync(sut, "/bind", Requests.Bind("p", "uid-p", "n"));
        var preempt = await PostAsync(sut, "/preempt", Requests.PreemptMeta(pod, ("n", ["uid-x"], 0)));

        Assert.All(new[] { filter, prioritize, bind, preempt }, r => Assert.True(r.ConnectionClose));
        Assert.Equal(HttpStatusCode.OK, filter.Status);
        Assert.Contains("not serving kube-scheduler's calls (standby: not the leader)", JsonDocument.Parse(filter.Body).RootElement.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, prioritize.Status);
        Assert.Equal(HttpStatusCode.OK, bind.Status);
        Assert.NotEqual(string.Empty, JsonDocument.Parse(bind.Body).RootElement.GetProperty("Error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, preempt.Status);
        Assert.False(sut.State.TryGetPod("uid-p", out _));
    }

    [Fact]
    public async Task Bind_RetriedAfterTheReplicaBecomesTheLeader_Succeeds()
    {
        var gate = new SwitchableGate();
        var pod = Make.PodJson("p").Gpus(1);
        await using var sut = await ExtenderTestServer.StartAsync(null, gate, Make.GpuNode("n"));
        sut.WithPods(pod);
        var refused = await PostAsync(sut, "/bind", Requests.Bind("p", "uid-p", "n"));

        gate.IsServing = true;
        var retried = await PostAsync(sut, "/bind", Requests.Bind("p", "uid-p", "n"));

        Assert.True(refused.ConnectionClose);
        Assert.False(retried.ConnectionClose);
        Assert.Equal(string.Empty, JsonDocument.Parse(retried.Body).RootElement.GetProperty("Error").GetString());
        Assert.True(sut.State.TryGetPod("uid-p", out _));
    }
}
