using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Controllers;

public sealed class EventMirrorTests
{
    private static Eventsv1Event NewEvent(string uid) => new()
    {
        Metadata = new V1ObjectMeta { GenerateName = "train.", NamespaceProperty = "default" },
        EventTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        ReportingController = "lepton.ai/gang-admission",
        ReportingInstance = "replica-1",
        Type = "Normal",
        Reason = "GangAdmitted",
        Action = "Admit",
        Note = "Gang admitted",
        Regarding = new V1ObjectReference { ApiVersion = "lepton.ai/v1alpha1", Kind = "LeptonJob", Name = "train", NamespaceProperty = "default", Uid = uid },
    };

    [Fact]
    public async Task CreateEventsV1Event_KubectlDescribesQuery_FindsItAsACoreEvent()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var created = await client.EventsV1.CreateNamespacedEventAsync(NewEvent("uid-1"), "default");
        // What kubectl describe sends (involvedObject name, namespace, kind and uid).
        var found = await client.CoreV1.ListNamespacedEventAsync(
            "default",
            fieldSelector: "involvedObject.name=train,involvedObject.namespace=default,involvedObject.kind=LeptonJob,involvedObject.uid=uid-1");

        var e = Assert.Single(found.Items);
        Assert.Equal(created.Metadata.Name, e.Metadata.Name);
        Assert.Equal(("Gang admitted", "lepton.ai/gang-admission", "GangAdmitted", "Normal"), (e.Message, e.ReportingComponent, e.Reason, e.Type));
        Assert.Equal("uid-1", e.InvolvedObject.Uid);
    }

    [Fact]
    public async Task PatchEventsV1Series_CoreEventShowsTheSeries()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var created = await client.EventsV1.CreateNamespacedEventAsync(NewEvent("uid-1"), "default");

        await client.EventsV1.PatchNamespacedEventAsync(
            new V1Patch("""{"series":{"count":3,"lastObservedTime":"2026-01-01T00:02:00.000000Z"}}""", V1Patch.PatchType.MergePatch), created.Metadata.Name, "default");

        var core = await client.CoreV1.ReadNamespacedEventAsync(created.Metadata.Name, "default");
        Assert.Equal(3, core.Series.Count);
    }

    [Fact]
    public async Task DeleteEventsV1Event_CoreEventGoesToo()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var created = await client.EventsV1.CreateNamespacedEventAsync(NewEvent("uid-1"), "default");

        await client.EventsV1.DeleteNamespacedEventAsync(created.Metadata.Name, "default");

        Assert.Empty(sut.List("events", "default"));
        Assert.Empty(sut.List("events.events.k8s.io", "default"));
    }

    [Fact]
    public async Task CreateCoreEvent_ServedThroughEventsV1()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        await client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event { Metadata = new V1ObjectMeta { Name = "p1.1", NamespaceProperty = "default" }, InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p1", NamespaceProperty = "default" }, Reason = "Scheduled", Message = "assigned", Type = "Normal", Source = new V1EventSource { Component = "default-scheduler" } },
            "default");

        var e = await client.EventsV1.ReadNamespacedEventAsync("p1.1", "default");
        Assert.Equal(("assigned", "p1", "default-scheduler"), (e.Note, e.Regarding.Name, e.DeprecatedSource.Component));
    }
}
