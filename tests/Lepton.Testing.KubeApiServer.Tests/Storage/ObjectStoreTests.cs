using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Storage;

/// <summary>Update, patch, delete and list semantics of the store, driven through KubernetesClient.</summary>
public sealed class ObjectStoreTests
{
    [Fact]
    public async Task ReplaceNamespacedPod_StaleResourceVersion_Returns409Conflict()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var stale = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        var fresh = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        fresh.Metadata.Labels["a"] = "1";
        await client.CoreV1.ReplaceNamespacedPodAsync(fresh, "p1", "default");
        stale.Metadata.Labels["b"] = "2";

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.ReplaceNamespacedPodAsync(stale, "p1", "default"));

        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Operation cannot be fulfilled on pods \"p1\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
    }

    [Fact]
    public async Task ReplaceNamespacedPod_EmptyResourceVersion_UpdatesUnconditionally()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        sut.Modify("pods", "default", "p1", p => p["metadata"]!["annotations"] = new JsonObject { ["x"] = "y" });
        pod.Metadata.ResourceVersion = null;
        pod.Metadata.Labels["a"] = "1";

        var updated = await client.CoreV1.ReplaceNamespacedPodAsync(pod, "p1", "default");

        Assert.Equal("1", updated.Metadata.Labels["a"]);
        Assert.Null(updated.Metadata.Annotations);
    }

    [Fact]
    public async Task ReplaceNamespacedPod_NothingChanged_KeepsResourceVersion()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        var before = sut.ResourceVersion;

        var updated = await client.CoreV1.ReplaceNamespacedPodAsync(pod, "p1", "default");

        Assert.Equal(pod.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal(before, sut.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceNamespacedPodStatus_ClientRoundTripOfTimestamps_IsANoOp()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").Build(), "default");
        var pod = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        var before = sut.ResourceVersion;

        var written = await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "p1", "default");

        Assert.Equal(before, sut.ResourceVersion);
        Assert.Equal(pod.Metadata.ResourceVersion, written.Metadata.ResourceVersion);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)sut.Get("pods", "default", "p1")!["status"]!["conditions"]![0]!["lastTransitionTime"]);
    }

    [Fact]
    public async Task ReplaceNamespacedPod_StatusChangedOnMainEndpoint_IgnoresStatus()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        pod.Status.Phase = "Running";
        pod.Metadata.Labels["a"] = "1";

        var updated = await client.CoreV1.ReplaceNamespacedPodAsync(pod, "p1", "default");

        Assert.Equal("Pending", updated.Status.Phase);
        Assert.Equal("1", updated.Metadata.Labels["a"]);
    }

    [Fact]
    public async Task ReplaceNamespacedPodStatus_SpecAndStatusChanged_OnlyStatusApplied()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        pod.Status.Phase = "Running";
        pod.Spec.Containers[0].Image = "changed";
        pod.Metadata.Labels["a"] = "1";

        var updated = await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "p1", "default");

        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal("busybox", updated.Spec.Containers[0].Image);
        Assert.False(updated.Metadata.Labels.ContainsKey("a"));
        Assert.Equal(1, updated.Metadata.Generation);
    }

    [Fact]
    public async Task PatchNamespacedPod_MergePatchChangingImage_BumpsGeneration()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        var labelled = await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"a":"1"}}}""", V1Patch.PatchType.MergePatch), "p1", "default");
        var reimaged = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/containers/0/image","value":"nginx"}]""", V1Patch.PatchType.JsonPatch), "p1", "default");

        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(2, reimaged.Metadata.Generation);
        Assert.Equal("nginx", reimaged.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task PatchNamespacedPod_ResourceVersionInPatchIsStale_Returns409()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        sut.Modify("pods", "default", "p1", p => p["metadata"]!["labels"]!["x"] = "y");

        await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict, () => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = pod.Metadata.ResourceVersion, ["labels"] = new JsonObject { ["a"] = "1" } } }.ToJsonString(),
                V1Patch.PatchType.MergePatch), "p1", "default"));
    }

    [Fact]
    public async Task DeleteNamespacedPod_WithFinalizer_StaysUntilFinalizerRemoved()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time);
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Finalizer("lepton.ai/cleanup").Build(), "default");
        time.Advance(TimeSpan.FromMinutes(1));

        var deleting = await client.CoreV1.DeleteNamespacedPodAsync("p1", "default");
        var stillThere = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "p1", "default");

        Assert.Equal(TestServer.Epoch.AddMinutes(1).UtcDateTime, deleting.Metadata.DeletionTimestamp);
        Assert.Equal(["lepton.ai/cleanup"], stillThere.Metadata.Finalizers);
        Assert.Null(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task PatchNamespacedPod_NewFinalizerOnDeletingPod_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Finalizer("a.io/one").Build(), "default");
        await client.CoreV1.DeleteNamespacedPodAsync("p1", "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"finalizers":["a.io/one","b.io/two"]}}""", V1Patch.PatchType.MergePatch), "p1", "default"));

        Assert.Contains("no new finalizers can be added if the object is being deleted", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteNamespacedConfigMap_NoFinalizers_ReturnsSuccessStatus()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var http = sut.Http();
        sut.Seed("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"}}""");

        using var response = await http.DeleteAsync("api/v1/namespaces/default/configmaps/cm");
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Success", (string?)status["status"]);
        Assert.Equal("cm", (string?)status["details"]!["name"]);
        Assert.Equal("configmaps", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task ListNamespacedPod_LimitAndContinue_PagesOverConsistentSnapshot()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            sut.Seed(Make.Pod(name).ToJson());
        }

        var first = await client.CoreV1.ListNamespacedPodAsync("default", limit: 2);
        sut.Seed(Make.Pod("bb").ToJson());
        sut.Delete("pods", "default", "d");
        var second = await client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        var third = await client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: second.Metadata.ContinueProperty);

        Assert.Equal(["a", "b"], first.Items.Select(p => p.Metadata.Name));
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.Equal(["c", "d"], second.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["e"], third.Items.Select(p => p.Metadata.Name));
        Assert.Null(third.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ListNamespacedPod_ContinueAfterCompaction_Returns410Expired()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("a").ToJson());
        sut.Seed(Make.Pod("b").ToJson());
        var first = await client.CoreV1.ListNamespacedPodAsync("default", limit: 1);
        sut.Compact();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Gone,
            () => client.CoreV1.ListNamespacedPodAsync("default", limit: 1, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal("Expired", (string?)status["reason"]);
    }

    [Theory]
    [InlineData("tier=gpu", null, "a,b")]
    [InlineData("tier in (gpu,cpu),!spot", null, "a,c")]
    [InlineData("tier notin (gpu)", null, "c,d")]
    [InlineData("spot", null, "b")]
    [InlineData(null, "spec.nodeName=n1", "a,c")]
    [InlineData(null, "spec.nodeName=", "b,d")]
    [InlineData(null, "status.phase!=Running,metadata.name!=d", "b")]
    [InlineData("tier=gpu", "spec.nodeName=n1", "a")]
    public async Task ListNamespacedPod_Selectors_FilterLikeTheRealServer(string? labelSelector, string? fieldSelector, string expected)
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("a").Label("tier", "gpu").OnNode("n1").Running().ToJson());
        sut.Seed(Make.Pod("b").Label("tier", "gpu").Label("spot", "true").ToJson());
        sut.Seed(Make.Pod("c").Label("tier", "cpu").OnNode("n1").Running().ToJson());
        sut.Seed(Make.Pod("d").Running().ToJson());

        var list = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: labelSelector, fieldSelector: fieldSelector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(p => p.Metadata.Name)));
    }

    [Fact]
    public async Task ListNamespacedPod_UnsupportedFieldSelector_Returns400()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.BadRequest,
            () => client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.priority=3"));

        Assert.Contains("field label not supported: spec.priority", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceVersion_EveryWrite_IncreasesTheGlobalCounter()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "l" }, Spec = new V1LeaseSpec { HolderIdentity = "me", LeaseDurationSeconds = 15 } }, "default");
        var node = await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } });

        var versions = new[] { pod, (IMetadata<V1ObjectMeta>)lease, node }.Select(o => long.Parse(o.Metadata.ResourceVersion, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([versions[0], versions[0] + 1, versions[0] + 2], versions);
    }
}
