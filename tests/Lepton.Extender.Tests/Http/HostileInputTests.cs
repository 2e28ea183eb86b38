using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Testing;
using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Tests.Http;

/// <summary>
/// Issue 12, "hostile input costs little and never yields a 5xx": invalid text is a 400 naming the
/// byte, nothing invalid is echoed, a 400 logs one bounded Information line and is counted, and
/// requests with more nodes or victims than the limits are refused with 413 within their deadline.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string[] Verbs = ["/filter", "/prioritize", "/bind", "/preempt"];

    private static async Task<(int Status, string Body)> PostBytesAsync(ExtenderTestServer server, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await server.Client.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] WithInvalidByte(string json, string marker)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28; // 0xC3 0x28: a lead byte without its continuation
        return bytes;
    }

    [Fact]
    public async Task EveryVerb_InvalidUtf8_400NamingTheByte_NoErrorLogNoFallback()
    {
        var logs = new CapturingLoggerProvider();
        await using var sut = await ExtenderTestServer.StartAsync(null, null, null, l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace), Make.GpuNode("n1"));
        var pod = Make.PodJson("p").Gpus(1);
        string[] bodies = [Requests.NodeNames(pod, "n1", "XXzz"), Requests.NodeNames(pod, "n1", "XXzz"), Requests.Bind("XXzz", "uid", "n1"), Requests.PreemptMeta(pod, ("XXzz", ["u"], 0))];

        for (var i = 0; i < Verbs.Length; i++)
        {
            var body = WithInvalidByte(bodies[i], "XXzz");
            var at = body.AsSpan().IndexOf((byte)0xC3);

            var (status, text) = await PostBytesAsync(sut, Verbs[i], body);

            Assert.Equal(400, status);
            Assert.Equal($"request body: invalid UTF-8 at byte {at}\n", text);
        }

        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning || l.Exception is not null);
        var metrics = await Scrape(sut);
        Assert.DoesNotContain("lepton_scoring_fallback_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("lepton_extender_rejected_requests_total{verb=\"prioritize\",reason=\"bad_request\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_NodesModeWithLoneSurrogate_400AndNothingEchoed()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n1"));
        var node = Requests.RawNode("n1").Replace("caf\\u00e9", "caf\\uD800", StringComparison.Ordinal);
        var body = Requests.Nodes(Make.PodJson("p").Gpus(1), node);

        var (status, text) = await sut.PostAsync("/filter", body);

        Assert.Equal(400, status);
        Assert.StartsWith("request body: \\u escape of an unpaired UTF-16 surrogate at byte ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("D800", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Filter_NodesModeWithInvalidUtf8InANode_400AndNoBytesEchoed()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n1"));
        var body = WithInvalidByte(Requests.Nodes(Make.PodJson("p").Gpus(1), Requests.RawNode("n1")), "<&>");

        var (status, text) = await PostBytesAsync(sut, "/filter", body);

        Assert.Equal(400, status);
        Assert.DoesNotContain('\uFFFD', text);
        Assert.DoesNotContain("n1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preempt_MegabyteNodeNameOfTheWrongShape_OneBoundedInformationLine()
    {
        var logs = new CapturingLoggerProvider();
        await using var sut = await ExtenderTestServer.StartAsync(null, null, null, l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace), Make.GpuNode("n1"));
        var name = new string('n', 1_000_000);

        var (status, text) = await sut.PostAsync("/preempt", "{\"NodeNameToMetaVictims\":{\"" + name + "\":{\"Pods\":5}}}");

        Assert.Equal(400, status);
        Assert.True(text.Length <= 512, $"{text.Length} characters");
        var line = Assert.Single(logs.Lines, l => l.Category.StartsWith("Lepton", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.True(line.Message.Length <= 512, $"{line.Message.Length} characters");
        Assert.Null(line.Exception);
        Assert.DoesNotContain("System.", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_300000NodeNames_RefusedWith413WithinTheDeadline()
    {
        await using var sut = await ExtenderTestServer.StartAsync(null, Make.GpuNode("n1"));
        var names = Enumerable.Range(0, 300_000).Select(i => "unknown-node-" + i).ToArray();
        var body = Requests.NodeNames(Make.PodJson("p").Gpus(1), names);
        var clock = Stopwatch.StartNew();

        var (status, text) = await sut.PostAsync("/filter", body);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"{clock.Elapsed}");
        Assert.Equal(413, status);
        Assert.Equal("NodeNames: more than 100000 node names (the extender's limit per request)\n", text);
    }

    [Fact]
    public async Task Prioritize_NodesModeOverTheLimit_413()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => o.MaxNodeNames = 2, Make.GpuNode("a"));

        var (status, text) = await sut.PostAsync("/prioritize", Requests.Nodes(Make.PodJson("p").Gpus(1), Requests.RawNode("a"), Requests.RawNode("b"), Requests.RawNode("c")));

        Assert.Equal(413, status);
        Assert.StartsWith("Nodes.items: more than 2 nodes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preempt_MoreVictimsOrNodesThanTheLimits_413()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => { o.MaxVictims = 3; o.MaxNodeNames = 2; }, Make.GpuNode("a"));
        var pod = Make.PodJson("p").Gpus(1);

        var victims = await sut.PostAsync("/preempt", Requests.PreemptMeta(pod, ("a", ["1", "2"], 0), ("b", ["3", "4"], 0)));
        var nodes = await sut.PostAsync("/preempt", Requests.PreemptMeta(pod, ("a", [], 0), ("b", [], 0), ("c", [], 0)));
        var within = await sut.PostAsync("/preempt", Requests.PreemptMeta(pod, ("a", ["1", "2"], 0), ("b", ["3"], 0)));

        Assert.Equal((413, "NodeNameToMetaVictims: more than 3 victims (the extender's limit per request)\n"), victims);
        Assert.Equal((413, "NodeNameToMetaVictims: more than 2 nodes (the extender's limit per request)\n"), nodes);
        Assert.Equal(200, within.Status);
    }

    private static Task<string> Scrape(ExtenderTestServer server) => server.Client.GetStringAsync("/metrics");
}
