using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Controllers;

public sealed class CustomResourceDefinitionControllerTests
{
    [Fact]
    public async Task CreateCustomResourceDefinition_ThenCustomObject_ReadsItBack()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.LeptonJob().ToJsonString());

        var registered = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("train-1"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        var read = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "train-1");

        Assert.Contains("customresourcecleanup.apiextensions.k8s.io", registered.Metadata.Finalizers);
        Assert.Equal("LeptonJob", read.GetProperty("kind").GetString());
        Assert.Equal(2, read.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal(1, read.GetProperty("metadata").GetProperty("generation").GetInt64());
        var stored = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("leptonjobs.lepton.ai");
        Assert.Contains(stored.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Equal(["v1alpha1"], stored.Status.StoredVersions);
    }

    [Fact]
    public async Task RegisterCustomResourceDefinition_Discovery_ListsResourceShortNameAndStatusSubresource()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        sut.RegisterCustomResourceDefinition(TestCrds.LeptonJob());
        using var http = sut.Http();
        var resources = JsonNode.Parse(await http.GetStringAsync("apis/lepton.ai/v1alpha1"))!["resources"]!.AsArray();

        var main = resources.Single(r => (string?)r!["name"] == "leptonjobs")!;
        Assert.Equal("lj", (string?)main["shortNames"]![0]);
        Assert.Equal("LeptonJob", (string?)main["kind"]);
        Assert.Contains(resources, r => (string?)r!["name"] == "leptonjobs/status");
        var groups = await client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "lepton.ai" && g.PreferredVersion.Version == "v1alpha1");
    }

    [Fact]
    public async Task PatchNamespacedCustomObject_StatusOnMainEndpoint_IsIgnoredAndSpecBumpsGeneration()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        var patched = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"replicas":4},"status":{"phase":"Running"}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j");
        var labelled = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"team":"a"}}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j");

        Assert.Equal(4, patched.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.False(patched.TryGetProperty("status", out _));
        Assert.Equal(2, patched.GetProperty("metadata").GetProperty("generation").GetInt64());
        Assert.Equal(2, labelled.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task PatchNamespacedCustomObjectStatus_SpecAndStatus_OnlyStatusChangesWithoutGenerationBump()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        var patched = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"spec":{"replicas":9},"status":{"phase":"Running"}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j");

        Assert.Equal("Running", patched.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(2, patched.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal(1, patched.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task CreateNamespacedCustomObject_WithStatus_DropsStatus()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        var job = TestCrds.Job("j");
        job["status"] = new JsonObject { ["phase"] = "Succeeded" };

        var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(job, TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        Assert.False(created.TryGetProperty("status", out _));
    }

    [Fact]
    public async Task ReplaceNamespacedCustomObject_WithoutResourceVersion_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            TestCrds.Job("j", replicas: 3), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j"));

        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchNamespacedCustomObject_StrategicMergePatch_Returns415()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        await ApiAssert.FailsWithAsync(HttpStatusCode.UnsupportedMediaType, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.StrategicMergePatch), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j"));
    }

    [Fact]
    public async Task DeleteCustomResourceDefinition_WithInstances_RemovesInstancesAndStopsServing()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.CustomResourceDefinitions.Add(TestCrds.LeptonJob()));
        using var client = sut.Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(TestCrds.Job("j"), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("leptonjobs.lepton.ai");

        Assert.Empty(await client.ApiextensionsV1.ListCustomResourceDefinitionAsync() is { } list ? list.Items : []);
        Assert.DoesNotContain(sut.Resources, r => r.Group == "lepton.ai");
        await ApiAssert.FailsWithAsync(HttpStatusCode.NotFound,
            () => client.CustomObjects.GetNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "j"));
    }

    [Fact]
    public async Task CreateCustomResourceDefinition_NameNotPluralDotGroup_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.LeptonJob().ToJsonString());
        crd.Metadata.Name = "jobs.lepton.ai";

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
    }
}
