using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Http;
using Lepton.Kubernetes.Wire;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Http;

public sealed class ExtenderReplyTests
{
    [Theory]
    [InlineData("node-1")]
    [InlineData("ip-10-0-0-1.ec2.internal")]
    [InlineData("we\"ird\\name")]
    [InlineData("nœud-é")]
    [InlineData("<script>")]
    [InlineData("")]
    public void WriteTo_Priorities_SameBytesAsSourceGenerator(string host)
    {
        List<HostPriority> scores = [new() { Host = host, Score = 10 }, new() { Host = "b", Score = 0 }, new() { Host = host, Score = 7 }];
        var sut = ExtenderReply.Json(scores, "ok");
        var output = new ArrayBufferWriter<byte>();

        sut.WriteTo(output);

        // Score 0 adds nothing in kube-scheduler, so those entries are left out.
        Assert.Equal(JsonSerializer.Serialize(scores.Where(p => p.Score != 0).ToList(), ExtenderJsonContext.Default.ListHostPriority), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteTo_HostScoresWithNodeTableSlots_SameBytesAsSourceGenerator()
    {
        var names = new[] { "node-1", "caf\u00e9", "we\"ird", "ip-10-0-0-1.ec2.internal" };
        var state = new Lepton.Scheduling.State.ClusterState();
        state.Load(names.Select(n => Make.GpuNode(n)), []);
        var hosts = names.Append("ghost").Append("node-1").ToArray();
        var slots = hosts.Select(h => state.Table.TryResolve(h, out var s) ? s : -1).ToArray();
        var scores = new long[] { 10, 3, 0, 7, 0, 12 };
        var sut = new HostScores(hosts, scores).WithSlots(state.Table, slots);
        var output = new ArrayBufferWriter<byte>();

        ExtenderReply.Json(sut, "ok").WriteTo(output);

        List<HostPriority> expected = [.. hosts.Select((h, i) => new HostPriority { Host = h, Score = scores[i] }).Where(p => p.Score != 0)];
        Assert.Equal(JsonSerializer.Serialize(expected, ExtenderJsonContext.Default.ListHostPriority), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteTo_ManyHostScores_CrossesOutputChunksIntact()
    {
        var hosts = Enumerable.Range(0, 3000).Select(i => "gpu-node-" + i).ToArray();
        var scores = hosts.Select((_, i) => (long)(i % 11)).ToArray();
        var output = new ArrayBufferWriter<byte>(64);

        ExtenderReply.Json(new HostScores(hosts, scores), "ok").WriteTo(output);

        List<HostPriority> expected = [.. hosts.Select((h, i) => new HostPriority { Host = h, Score = scores[i] }).Where(p => p.Score != 0)];
        Assert.Equal(JsonSerializer.Serialize(expected, ExtenderJsonContext.Default.ListHostPriority), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteTo_EveryScoreZero_EmptyArray()
    {
        var output = new ArrayBufferWriter<byte>();

        ExtenderReply.Json(new HostScores(["a", "b"], [0, 0]), "ok").WriteTo(output);

        Assert.Equal("[]", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteTo_EmptyPriorities_EmptyArray()
    {
        var output = new ArrayBufferWriter<byte>();

        ExtenderReply.Json(new List<HostPriority>(), "ok").WriteTo(output);

        Assert.Equal("[]", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteTo_TextReply_OneLine()
    {
        var output = new ArrayBufferWriter<byte>();

        ExtenderReply.Text(400, "bad", "rejected").WriteTo(output);

        Assert.Equal("bad\n", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal("text/plain; charset=utf-8", ExtenderReply.Text(400, "bad", "rejected").ContentType);
    }
}
