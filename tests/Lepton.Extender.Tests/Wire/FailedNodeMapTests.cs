using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Http;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Wire;

public sealed class FailedNodeMapTests
{
    [Fact]
    public void WriteTo_FailuresAndUnknownNodes_SameJsonAsTheDictionaryOfDescribedMessages()
    {
        var (sut, expected) = Build();

        Assert.Equal(Serialize(expected), Serialize(sut));
    }

    [Fact]
    public void WriteTo_MapOverTheNodeTable_SameJsonAsTheDictionaryOfDescribedMessages()
    {
        // Names copied as the table's bytes (and one that needs escaping, encoded), reasons
        // cached by text and repeated across nodes, an unknown node: the same bytes as the
        // dictionary of Describe's messages written by the serializer.
        var names = new[] { "small", "cpu", "we\"ird", "gpu-ü", "small-2", "small-3", "cpu-2", "big<1>" };
        var state = new ClusterState();
        state.Load(
            [
                Make.GpuNode("small", cards: 2), Make.CpuNode("cpu"), Make.GpuNode("we\"ird", cards: 1),
                Make.GpuNode("gpu-ü", cards: 2, model: "A+B <model>"), Make.GpuNode("small-2", cards: 2),
                Make.GpuNode("small-3", cards: 2), Make.CpuNode("cpu-2"), Make.GpuNode("big<1>", cards: 8, cpuMilli: 100),
            ],
            []);
        var pod = Make.Demand("p", gpus: 4);
        var sut = new FailedNodeMap(pod, state.Table, names.Length);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            AddFailing(sut, expected, state, pod, name);
        }

        sut.AddUnknown("ghost");
        sut.AddUnknown("gh\\ost");
        expected["ghost"] = CandidateScoring.UnknownNodeMessage;
        expected["gh\\ost"] = CandidateScoring.UnknownNodeMessage;

        Assert.Equal(Serialize(expected), Serialize(sut));
    }

    [Fact]
    public void DictionaryView_HasEveryNameOnceWithDescribesMessage()
    {
        var (sut, expected) = Build();

        Assert.Equal(expected.Count, sut.Count);
        foreach (var (name, message) in expected)
        {
            Assert.Equal(message, sut[name]);
        }

        // Once read as a dictionary it is written from the dictionary, edits included.
        sut["extra"] = "added";
        expected["extra"] = "added";
        Assert.Equal(Serialize(expected), Serialize(sut));
    }

    [Fact]
    public void WriteTo_ANameGivenTwice_WrittenOnce()
    {
        var state = new ClusterState();
        state.Load([Make.GpuNode("n1", cards: 1)], []);
        var pod = Make.Demand("p", gpus: 2);
        var node = state.Table.StateAt(0);
        var sut = new FailedNodeMap(pod, state.Table.Count);
        sut.Add("n1", FitCode.TooFewGpuCards, node, 0);
        sut.AddUnknown("ghost");
        sut.Add("n1", FitCode.TooFewGpuCards, node, 0);
        sut.AddUnknown("ghost");

        var json = Serialize(sut);

        Assert.Equal(1, Count(json, "\"n1\""));
        Assert.Equal(1, Count(json, "\"ghost\""));
        Assert.Equal(2, JsonDocument.Parse(json).RootElement.GetProperty("FailedNodes").EnumerateObject().Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(5000)]
    public void WriteTo_ManyFailuresAcrossGrowingChunks_EveryNodeOnceInRequestOrder(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"n{i:D5}").ToArray();
        var state = new ClusterState();
        state.Load([.. names.Select(n => Make.GpuNode(n, cards: 1))], []);
        var pod = Make.Demand("p", gpus: 2);
        var sut = new FailedNodeMap(pod, state.Table.Count);
        foreach (var name in names)
        {
            Assert.True(state.Table.TryResolve(name, out var slot));
            sut.Add(name, FitCode.TooFewGpuCards, state.Table.StateAt(slot), slot);
        }

        var written = JsonDocument.Parse(Serialize(sut)).RootElement.GetProperty("FailedNodes").EnumerateObject().ToList();

        Assert.Equal(names, written.Select(p => p.Name));
        Assert.All(written, p => Assert.Equal("Too few GPUs: needs 2 GPUs on one node", p.Value.GetString()));
        Assert.Equal(count, sut.Count);
    }

    [Fact]
    public void Add_SlotOutsideTheTable_Throws()
    {
        var sut = new FailedNodeMap(Make.Demand("p", gpus: 1), 1);
        var node = NodeState.Empty(Make.GpuNode("n"));

        Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add("n", FitCode.NoGpu, node, 1));
        Assert.Throws<InvalidOperationException>(() => new FailedNodeMap(null, 1).Add("n", FitCode.NoGpu, node, 0));
    }

    private static (FailedNodeMap Map, Dictionary<string, string> Expected) Build()
    {
        var state = new ClusterState();
        state.Load([Make.GpuNode("small", cards: 2), Make.CpuNode("cpu"), Make.GpuNode("we\"ird", cards: 1)], []);
        var pod = Make.Demand("p", gpus: 4);
        var sut = new FailedNodeMap(pod, state.Table.Count);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "small", "cpu", "we\"ird" })
        {
            AddFailing(sut, expected, state, pod, name);
        }

        sut.AddUnknown("ghost");
        expected["ghost"] = CandidateScoring.UnknownNodeMessage;
        return (sut, expected);
    }

    private static string Serialize(IDictionary<string, string> map)
    {
        var result = new ExtenderFilterResult { FailedNodes = map, FailedAndUnresolvableNodes = new Dictionary<string, string>() };
        var output = new ArrayBufferWriter<byte>();
        ExtenderReply.Json(result, "ok").WriteTo(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    /// <summary>Adds a node the pod does not fit to the map, and its described reason to <paramref name="expected"/>.</summary>
    private static void AddFailing(FailedNodeMap sut, Dictionary<string, string> expected, ClusterState state, PodDemand pod, string name)
    {
        Assert.True(state.Table.TryResolve(name, out var slot));
        var node = state.Table.StateAt(slot);
        var code = FitChecker.Check(pod, node);
        Assert.NotEqual(FitCode.Fits, code);
        sut.Add(name, code, node, slot);
        expected[name] = FitChecker.Describe(code, pod, node, FailedNodeMap.Detail);
    }
}
