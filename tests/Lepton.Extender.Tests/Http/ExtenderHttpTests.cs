using System.Net;
using System.Text.Json;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Http;

/// <summary>Every verb over real HTTP (Kestrel on 127.0.0.1, port 0), both request modes.</summary>
public sealed class ExtenderHttpTests
{
    [Fact]
    public async Task Filter_NodeNamesMode_AnswersWireShape()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n1"), Make.CpuNode("c1"));

        var json = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("p").Gpus(1), "n1", "c1"));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("Nodes").ValueKind);
        Assert.Equal("n1", json.GetProperty("NodeNames")[0].GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("FailedNodes").ValueKind);
        Assert.True(json.GetProperty("FailedAndUnresolvableNodes").TryGetProperty("c1", out _));
        Assert.Equal(string.Empty, json.GetProperty("Error").GetString());
    }

    [Fact]
    public async Task Filter_NodesMode_EchoesPassingNodesVerbatim()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n1"), Make.CpuNode("c1"));
        var raw1 = Requests.RawNode("n1");

        var (status, body) = await sut.PostAsync("/filter", Requests.Nodes(Make.PodJson("p").Gpus(1), raw1, Requests.RawNode("c1"), Requests.RawNode("unknown")));

        Assert.Equal(200, status);
        Assert.Contains("\"Nodes\":{\"metadata\":{},\"items\":[" + raw1 + "]}", body, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("NodeNames").ValueKind);
        Assert.True(doc.RootElement.GetProperty("FailedNodes").TryGetProperty("unknown", out _));
    }

    [Fact]
    public async Task Prioritize_BothModes_BareArrayOfIntegerScores()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("a"), Make.GpuNode("b", cards: 2));

        var byName = await sut.PostJsonAsync("/prioritize", Requests.NodeNames(Make.PodJson("p").Gpus(1), "a", "b"));
        var byNode = await sut.PostJsonAsync("/prioritize", Requests.Nodes(Make.PodJson("p").Gpus(1), Requests.RawNode("a"), Requests.RawNode("b")));

        foreach (var json in new[] { byName, byNode })
        {
            Assert.Equal(JsonValueKind.Array, json.ValueKind);
            Assert.Equal(["a", "b"], json.EnumerateArray().Select(e => e.GetProperty("Host").GetString()));
            Assert.All(json.EnumerateArray(), e => Assert.InRange(e.GetProperty("Score").GetInt64(), 0, 10));
        }
    }

    [Fact]
    public async Task Bind_ThenFilter_NodeMovesToFailedNodesWithNumbers()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n", cards: 4));
        var pod = Make.PodJson("train").Gpus(4);
        sut.WithPods(pod);
        var first = await sut.PostJsonAsync("/filter", Requests.NodeNames(pod, "n"));
        Assert.Equal("n", first.GetProperty("NodeNames")[0].GetString());

        var bind = await sut.PostJsonAsync("/bind", Requests.Bind("train", "uid-train", "n"));
        var next = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("next").Gpus(1), "n"));

        Assert.Equal(string.Empty, bind.GetProperty("Error").GetString());
        Assert.Equal(JsonValueKind.Null, next.GetProperty("NodeNames").ValueKind);
        Assert.Equal("Insufficient GPU: needs 1 free GPU", next.GetProperty("FailedNodes").GetProperty("n").GetString());
    }

    [Fact]
    public async Task Bind_UnknownPod_ProtocolError()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n"));

        var json = await sut.PostJsonAsync("/bind", Requests.Bind("ghost", "uid-ghost", "n"));

        Assert.Equal("bind of pod default/ghost (uid uid-ghost): not in the cluster-state file", json.GetProperty("Error").GetString());
    }

    [Fact]
    public async Task Preempt_MetaVictims_AnswersSubset()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n", cards: 2));
        sut.State.Confirm(Make.Demand("low", gpus: 1, priority: 1, cards: [0]), "n");
        sut.State.Confirm(Make.Demand("high", gpus: 1, priority: 9, cards: [1]), "n");

        var json = await sut.PostJsonAsync("/preempt", Requests.PreemptMeta(Make.PodJson("p").Gpus(1).Priority(100), ("n", ["uid-high", "uid-low"], 0), ("gone", ["uid-x"], 0)));

        var victims = json.GetProperty("NodeNameToMetaVictims");
        Assert.Equal(["n"], victims.EnumerateObject().Select(p => p.Name));
        Assert.Equal("uid-low", victims.GetProperty("n").GetProperty("Pods")[0].GetProperty("UID").GetString());
        Assert.Equal(0, victims.GetProperty("n").GetProperty("NumPDBViolations").GetInt64());
    }

    [Fact]
    public async Task Verbs_PathPrefix_ServedUnderPrefix()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => o.PathPrefix = "/lepton", Make.GpuNode("n"));

        var (prefixed, _) = await sut.PostAsync("/lepton/filter", Requests.NodeNames(Make.PodJson("p"), "n"));
        var (bare, _) = await sut.PostAsync("/filter", Requests.NodeNames(Make.PodJson("p"), "n"));

        Assert.Equal(200, prefixed);
        Assert.Equal(404, bare);
    }

    [Fact]
    public async Task Readyz_BeforeAndAfterStateLoaded_503Then200()
    {
        await using var sut = await ExtenderTestServer.StartAsync();

        using var before = await sut.Client.GetAsync("/readyz");
        sut.Readiness.MarkReady();
        using var after = await sut.Client.GetAsync("/readyz");
        using var health = await sut.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Contains("not loaded", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposesExtenderSeries()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n"));
        await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("p").Gpus(1), "n"));
        await sut.PostJsonAsync("/prioritize", Requests.NodeNames(Make.PodJson("q").Gpus(1).Annotation("lepton.ai/gpu-milli", "x"), "n"));
        await sut.PostAsync("/filter", "{not json");

        var text = await sut.Client.GetStringAsync("/metrics");

        Assert.Contains("lepton_extender_requests_total{verb=\"filter\",result=\"ok\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_requests_total{verb=\"filter\",result=\"rejected\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_rejected_requests_total{verb=\"filter\",reason=\"bad_json\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_request_duration_seconds_bucket{verb=\"filter\"", text, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_nodes_evaluated_bucket{verb=\"prioritize\"", text, StringComparison.Ordinal);
        Assert.Contains("lepton_scoring_fallback_total{reason=\"pod_unmappable\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_ready 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_BodyOverLimit_413()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => o.MaxRequestBytes = 4096, Make.GpuNode("n"));
        var names = Enumerable.Range(0, 1000).Select(i => "node-" + i).ToArray();

        var (status, body) = await sut.PostAsync("/filter", Requests.NodeNames(Make.PodJson("p"), names));

        Assert.Equal(413, status);
        Assert.Contains("larger than 4096 bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_ChunkedBodyOverLimit_413()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => o.MaxRequestBytes = 4096, Make.GpuNode("n"));
        using var content = new StreamContent(new MemoryStream(new byte[6_000]));

        using var response = await sut.Client.PostAsync("/filter", new ChunkedContent(content));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("", "invalid request JSON")]
    [InlineData("{\"Pod\":", "invalid request JSON")]
    [InlineData("{\"NodeNames\":5}", "invalid request JSON")]
    [InlineData("{\"NodeNames\":[\"n\"]}", "Pod: expected a core/v1 Pod object")]
    [InlineData("null", "JSON null")]
    [InlineData("{\"Pod\":[],\"NodeNames\":[]}", "Pod: expected a core/v1 Pod object, not an array")]
    public async Task Filter_BadBody_400WithOneLineReason(string body, string reason)
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n"));

        var (status, text) = await sut.PostAsync("/filter", body);

        Assert.Equal(400, status);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.Single(text.TrimEnd('\n').Split('\n'));
    }

    /// <summary>Forces chunked transfer encoding (no Content-Length).</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ChunkedContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
