using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Tables;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Tables;

public sealed class TableConverterTests
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    [Fact]
    public async Task ListLeptonJobs_AcceptTable_UsesNameThenPrinterColumns()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time, o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        sut.Seed(TestCrds.Job("train-1", replicas: 4));
        sut.Modify("lj", "default", "train-1", j => j["status"] = new JsonObject { ["phase"] = "Running" });
        time.Advance(TimeSpan.FromMinutes(5));

        var table = await GetTableAsync(sut, "apis/lepton.ai/v1alpha1/namespaces/default/leptonjobs");

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        var columns = table["columnDefinitions"]!.AsArray().Select(c => ((string?)c!["name"], (string?)c["type"], (int?)c["priority"])).ToArray();
        Assert.Equal([("Name", "string", 0), ("Phase", "string", 0), ("Replicas", "integer", 0), ("Ready", "string", 1), ("Age", "date", 0)], columns);
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("train-1|Running|4|(null)|5m", Cells(row));
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("default", (string?)row["object"]!["metadata"]!["namespace"]);
    }

    [Fact]
    public async Task ListPods_AcceptTable_PrintsPodColumns()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed(Make.Pod("p1").OnNode("n1").Running().ToJson());
        sut.Seed(Make.Pod("p2").Gate("lepton.ai/gang").ToJson());

        var table = await GetTableAsync(sut, "api/v1/pods?includeObject=Object");

        var names = table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!).ToArray();
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node"], names);
        var rows = table["rows"]!.AsArray();
        Assert.Equal("p1|0/1|Running|0|0s|<none>|n1|<none>", Cells(rows[0]!));
        Assert.Equal("SchedulingGated", (string?)rows[1]!["cells"]![2]);
        Assert.Equal("Pod", (string?)rows[0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task GetNode_AcceptTable_SingleRowWithStatusAndRoles()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"node-role.kubernetes.io/gpu":""}},
             "spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.32.0"}}}
            """);

        var table = await GetTableAsync(sut, "api/v1/nodes/n1");

        Assert.Equal("n1|Ready,SchedulingDisabled|gpu|0s|v1.32.0", Cells(table["rows"]![0]!));
    }

    [Fact]
    public void ColumnsFor_CrdWithoutPrinterColumns_NameAndAge()
    {
        var crd = TestCrds.LeptonJob();
        crd["spec"]!["versions"]![0]!.AsObject().Remove("additionalPrinterColumns");
        var definition = Assert.Single(Lepton.Testing.KubeApiServer.Resources.CustomResourceDefinitionReader.ReadServedVersions(crd));
        var sut = new TableConverter(TestServer.NewClock());

        var columns = sut.ColumnsFor(definition);

        Assert.Equal(["Name", "Age"], columns.Select(c => c.Name));
    }

    /// <summary>Cells joined by '|': strings as they are, numbers in JSON form, null as "(null)".</summary>
    private static string Cells(JsonNode row) =>
        string.Join('|', row["cells"]!.AsArray()
            .Select(c => c is null ? "(null)" : c.GetValueKind() == System.Text.Json.JsonValueKind.String ? c.GetValue<string>() : c.ToJsonString()));

    private static async Task<JsonObject> GetTableAsync(KubeApiTestServer server, string path)
    {
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
