using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Controllers;

public sealed class GarbageCollectorTests
{
    [Fact]
    public async Task DeleteOwner_BackgroundPropagation_DeletesDependents()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var owner = sut.Seed(ConfigMap("owner"));
        sut.Seed(OwnedPod("p1", owner));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");

        Assert.Null(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task DeleteOwner_OrphanPropagation_KeepsDependentsWithoutOwnerReference()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var owner = sut.Seed(ConfigMap("owner"));
        sut.Seed(OwnedPod("p1", owner));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");

        Assert.Null(sut.Get("configmaps", "default", "owner"));
        var pod = sut.Get("pods", "default", "p1");
        Assert.NotNull(pod);
        Assert.Null(pod["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task DeleteOwner_ForegroundPropagation_OwnerWaitsForDependentFinalizers()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var owner = sut.Seed(ConfigMap("owner"));
        var pod = OwnedPod("p1", owner);
        pod["metadata"]!["finalizers"] = new JsonArray("lepton.ai/drain");
        sut.Seed(pod);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var waiting = sut.Get("configmaps", "default", "owner");
        sut.Modify("pods", "default", "p1", p => p["metadata"]!.AsObject().Remove("finalizers"));

        Assert.Equal("foregroundDeletion", (string?)waiting!["metadata"]!["finalizers"]![0]);
        Assert.NotNull(waiting["metadata"]!["deletionTimestamp"]);
        Assert.Null(sut.Get("pods", "default", "p1"));
        Assert.Null(sut.Get("configmaps", "default", "owner"));
    }

    [Fact]
    public async Task DeleteOwner_DependentHasAnotherLiveOwner_OnlyDropsTheReference()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        var first = sut.Seed(ConfigMap("first"));
        var second = sut.Seed(ConfigMap("second"));
        var pod = OwnedPod("p1", first);
        ((JsonArray)pod["metadata"]!["ownerReferences"]!).Add(OwnerReference(second));
        sut.Seed(pod);

        sut.Delete("configmaps", "default", "first");

        var kept = sut.Get("pods", "default", "p1")!;
        Assert.Equal("second", (string?)Assert.Single(kept["metadata"]!["ownerReferences"]!.AsArray())!["name"]);
    }

    private static JsonObject ConfigMap(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" } };

    private static JsonObject OwnedPod(string name, JsonObject owner)
    {
        var pod = Make.Pod(name).ToJson();
        pod["metadata"]!["ownerReferences"] = new JsonArray(OwnerReference(owner));
        return pod;
    }

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["name"] = (string?)owner["metadata"]!["name"],
        ["uid"] = (string?)owner["metadata"]!["uid"],
    };
}
