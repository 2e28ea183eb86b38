using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Kubernetes.Wire;

namespace Lepton.Extender.Tests.Wire;

/// <summary>
/// The wire contract of <c>k8s.io/kube-scheduler/extender/v1</c> as EXTENDER_PROTOCOL.md states
/// it: Go field names as keys, every key written, nulls where Go writes null, bare arrays,
/// verbatim Node echo, case-insensitive reads.
/// </summary>
public sealed class ExtenderWireContractTests
{
    private static readonly ExtenderJsonContext Context = ExtenderJsonContext.Default;

    [Fact]
    public void FilterResult_NodeNamesMode_WritesEveryKeyWithNulls()
    {
        var sut = new ExtenderFilterResult
        {
            NodeNames = ["n1"],
            FailedNodes = new Dictionary<string, string> { ["n2"] = "Insufficient GPU: needs 2 free GPUs" },
            FailedAndUnresolvableNodes = new Dictionary<string, string>(),
        };

        var json = JsonSerializer.Serialize(sut, Context.ExtenderFilterResult);

        AssertJson("""{"Nodes":null,"NodeNames":["n1"],"FailedNodes":{"n2":"Insufficient GPU: needs 2 free GPUs"},"FailedAndUnresolvableNodes":{},"Error":""}""", json);
    }

    [Fact]
    public void FilterResult_NothingPasses_NodeNamesIsNull()
    {
        var json = JsonSerializer.Serialize(new ExtenderFilterResult { Error = "boom" }, Context.ExtenderFilterResult);

        AssertJson("""{"Nodes":null,"NodeNames":null,"FailedNodes":null,"FailedAndUnresolvableNodes":null,"Error":"boom"}""", json);
    }

    [Fact]
    public void FilterResult_NodesMode_EchoesItemsByteForByte()
    {
        var raw = Requests.RawNode("n1");
        var args = JsonSerializer.Deserialize(
            "{\"Pod\":{},\"Nodes\":{\"metadata\":{},\"items\":[" + raw + "]},\"NodeNames\":null}",
            Context.ExtenderArgs)!;
        var sut = new ExtenderFilterResult { Nodes = args.Nodes, FailedNodes = new Dictionary<string, string>() };

        var json = JsonSerializer.Serialize(sut, Context.ExtenderFilterResult);

        Assert.Contains("\"items\":[" + raw + "]", json, StringComparison.Ordinal);
        Assert.Contains("\"kubeletEndpoint\":{\"Port\":10250}", json, StringComparison.Ordinal);
        Assert.StartsWith("{\"Nodes\":{\"metadata\":{},\"items\":[", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("NodeNames").ValueKind);
    }

    [Fact]
    public void HostPriorityList_IsBareArrayOfHostAndScore()
    {
        List<HostPriority> sut = [new() { Host = "n1", Score = 10 }, new() { Host = "n2", Score = 0 }];

        var json = JsonSerializer.Serialize(sut, Context.ListHostPriority);

        Assert.Equal("""[{"Host":"n1","Score":10},{"Host":"n2","Score":0}]""", json);
    }

    [Fact]
    public void ExtenderArgs_GoTypesTestShape_Parses()
    {
        // The shape kube-scheduler's types_test.go shows: camelCase Pod and Node, PascalCase envelope.
        const string Json = """
            {"Pod":{"metadata":{"name":"pod1"},"spec":{"containers":null},"status":{}},
             "Nodes":{"metadata":{},"items":[{"metadata":{"name":"node1"},"spec":{},"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":0}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"","kubeletVersion":"","kubeProxyVersion":"","operatingSystem":"","architecture":""}}}]},
             "NodeNames":["node1"]}
            """;

        var sut = JsonSerializer.Deserialize(Json, Context.ExtenderArgs)!;

        Assert.Equal("pod1", sut.Pod!.Value.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Single(sut.Nodes!.Items);
        Assert.Equal(["node1"], sut.NodeNames!);
    }

    [Fact]
    public void ExtenderArgs_KeysInOtherCasingAndUnknownKeys_ReadLikeGo()
    {
        var sut = JsonSerializer.Deserialize("""{"pod":{"metadata":{}},"NODENAMES":["a","b"],"Unknown":{"x":[1,2]},"nodes":null}""", Context.ExtenderArgs)!;

        Assert.NotNull(sut.Pod);
        Assert.Equal(["a", "b"], sut.NodeNames!);
        Assert.Null(sut.Nodes);
    }

    [Theory]
    [InlineData("""{"NodeNames":"n1"}""")]
    [InlineData("""{"NodeNames":[1,2]}""")]
    [InlineData("""{"Nodes":[]}""")]
    [InlineData("""{"Nodes":{"items":{}}}""")]
    [InlineData("""{"Nodes":{"items":[1]}}""")]
    [InlineData("""{"Pod":{},"NodeNames":["a"]""")]
    public void ExtenderArgs_WrongTypesOrTruncated_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, Context.ExtenderArgs));
    }

    [Fact]
    public void BindingArgs_GoKeys_Parse()
    {
        var sut = JsonSerializer.Deserialize("""{"PodName":"p","PodNamespace":"ns","PodUID":"u-1","Node":"n1"}""", Context.ExtenderBindingArgs)!;

        Assert.Equal(("p", "ns", "u-1", "n1"), (sut.PodName, sut.PodNamespace, sut.PodUID, sut.Node));
    }

    [Fact]
    public void BindingResult_Success_WritesEmptyError()
    {
        Assert.Equal("""{"Error":""}""", JsonSerializer.Serialize(new ExtenderBindingResult(), Context.ExtenderBindingResult));
    }

    [Fact]
    public void PreemptionArgs_MetaVictimsAndVictims_Parse()
    {
        const string Json = """
            {"Pod":{"metadata":{"name":"p"}},
             "NodeNameToVictims":{"n1":{"Pods":[{"metadata":{"name":"v","uid":"u-v"}}],"NumPDBViolations":1}},
             "NodeNameToMetaVictims":{"n2":{"Pods":[{"UID":"u-w"}],"NumPDBViolations":0}}}
            """;

        var sut = JsonSerializer.Deserialize(Json, Context.ExtenderPreemptionArgs)!;

        Assert.Equal(1, sut.NodeNameToVictims!["n1"]!.NumPDBViolations);
        Assert.Equal("u-w", sut.NodeNameToMetaVictims!["n2"]!.Pods![0].UID);
    }

    [Fact]
    public void PreemptionResult_WritesMetaVictimsWithGoKeys()
    {
        var sut = new ExtenderPreemptionResult
        {
            NodeNameToMetaVictims = new Dictionary<string, MetaVictims>
            {
                ["n1"] = new() { Pods = [new MetaPod { UID = "u1" }], NumPDBViolations = 0 },
            },
        };

        var json = JsonSerializer.Serialize(sut, Context.ExtenderPreemptionResult);

        AssertJson("""{"NodeNameToMetaVictims":{"n1":{"Pods":[{"UID":"u1"}],"NumPDBViolations":0}}}""", json);
    }

    [Fact]
    public void PreemptionResult_NoCandidates_WritesNull()
    {
        Assert.Equal("""{"NodeNameToMetaVictims":null}""", JsonSerializer.Serialize(new ExtenderPreemptionResult(), Context.ExtenderPreemptionResult));
    }

    [Fact]
    public void RawNodeList_RoundTrip_KeepsRawBytes()
    {
        var raw = Requests.RawNode("n9");
        var list = JsonSerializer.Deserialize("{\"Nodes\":{\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[" + raw + "]}}", Context.ExtenderArgs)!.Nodes!;
        var sut = new ExtenderFilterResult { Nodes = list };

        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(sut, Context.ExtenderFilterResult));

        Assert.Contains("{\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[" + raw + "]}", json, StringComparison.Ordinal);
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");
}
