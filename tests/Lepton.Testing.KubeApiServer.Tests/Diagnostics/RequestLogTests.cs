using k8s;
using Lepton.Testing.KubeApiServer.Diagnostics;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Diagnostics;

public sealed class RequestLogTests
{
    [Fact]
    public async Task Permissions_AfterTypicalOperatorCalls_ListsDistinctVerbGroupResource()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = server.Client();
        var sut = server.Requests;
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p2").Build(), "default");
        await client.CoreV1.ListPodForAllNamespacesAsync();
        await client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n1"), "p1", "default");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new k8s.Models.V1Patch("""{"status":{"phase":"Running"}}""", k8s.Models.V1Patch.PatchType.MergePatch), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j");
        await client.CoreV1.GetAPIResourcesAsync();

        var permissions = sut.Permissions();

        Assert.Equal(
            [
                new ApiPermission("create", "", "pods"),
                new ApiPermission("list", "", "pods"),
                new ApiPermission("create", "", "pods/binding"),
                new ApiPermission("create", "lepton.ai", "leptonjobs"),
                new ApiPermission("patch", "lepton.ai", "leptonjobs/status"),
            ],
            permissions);
    }

    [Fact]
    public async Task Entries_ClientRequest_RecordsRequestInfoUserAgentAndStatus()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock());
        using var client = server.Client();
        var sut = server.Requests;

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("missing", "kube-system"));

        var entry = Assert.Single(sut.Entries);
        Assert.Equal(("get", "", "v1", "pods", "kube-system", "missing", 404, true),
            (entry.Verb, entry.ApiGroup, entry.ApiVersion, entry.Resource, entry.Namespace, entry.Name, entry.StatusCode, entry.IsResourceRequest));
        Assert.False(string.IsNullOrEmpty(entry.UserAgent));
        Assert.Equal(TestServer.Epoch, entry.Timestamp);
    }

    [Fact]
    public async Task Permissions_WatchAndDeleteCollection_UseRbacVerbsAndSkipDiscovery()
    {
        await using var server = await TestServer.StartAsync(TestServer.NewClock());
        using var http = server.Http();
        var sut = server.Requests;
        var ct = TestServer.Generous();

        var watch = http.GetAsync("api/v1/namespaces/default/pods?watch=true&resourceVersion=" + server.ResourceVersion, HttpCompletionOption.ResponseHeadersRead, ct);
        await server.WaitForWatchesAsync(1, ct);
        server.DropWatches();
        using (await watch)
        {
        }

        using var deleted = await http.DeleteAsync("api/v1/namespaces/default/configmaps?labelSelector=a%3Db", ct);
        using var version = await http.GetAsync("version", ct);
        using var discovery = await http.GetAsync("apis/policy/v1", ct);

        Assert.Equal([new ApiPermission("deletecollection", "", "configmaps"), new ApiPermission("watch", "", "pods")], sut.Permissions());
        Assert.Equal(4, sut.Count);
        sut.Clear();
        Assert.Empty(sut.Entries);
    }
}
