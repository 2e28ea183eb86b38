using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;
using WatchDropMode = Lepton.Testing.KubeApiServer.Watch.WatchDropMode;

namespace Lepton.Testing.KubeApiServer.Tests.Http;

/// <summary>Watch semantics end to end: the stream <c>WatchStreamer</c> serves over the store's watchers.</summary>
public sealed class WatchStreamerTests
{
    [Fact]
    public async Task WatchAsync_FromListResourceVersion_ReceivesAddedModifiedDeletedInOrder()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var list = await client.CoreV1.ListNamespacedPodAsync("default");
        var ct = TestServer.Generous();

        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default", cancellationToken: ct);
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "p1", "default", cancellationToken: ct);
        await client.CoreV1.DeleteNamespacedPodAsync("p1", "default", cancellationToken: ct);

        var events = new List<(WatchEventType Type, string Rv)>();
        await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: ct))
        {
            events.Add((type, pod.Metadata.ResourceVersion));
            if (events.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        var versions = events.Select(e => long.Parse(e.Rv, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(sut.ResourceVersion, versions[^1]);
    }

    [Fact]
    public async Task Watch_NoResourceVersion_StartsWithAddedForExistingObjects()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed(Make.Pod("a").ToJson());
        sut.Seed(Make.Pod("b").ToJson());
        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut, "api/v1/namespaces/default/pods?watch=true", ct);

        var first = await reader.NextAsync(ct);
        var second = await reader.NextAsync(ct);
        Assert.Equal(("ADDED", "a"), ((string?)first!["type"], (string?)first["object"]!["metadata"]!["name"]));
        Assert.Equal(("ADDED", "b"), ((string?)second!["type"], (string?)second["object"]!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_SendsExpiredErrorEventAndCloses()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        var old = sut.ResourceVersion;
        sut.Seed(Make.Pod("a").ToJson());
        sut.Compact();
        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/namespaces/default/pods?watch=1&resourceVersion={old}", ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, reader.StatusCode);
        var error = await reader.NextAsync(ct);
        Assert.Equal("ERROR", (string?)error!["type"]);
        Assert.Equal("Status", (string?)error["object"]!["kind"]);
        Assert.Equal(410, (int?)error["object"]!["code"]);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        Assert.Null(await reader.NextAsync(ct));
    }

    [Fact]
    public async Task Watch_OlderThanRetainedHistory_SendsExpiredErrorEvent()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.EventHistoryCapacity = 2);
        var old = sut.ResourceVersion;
        for (var i = 0; i < 3; i++)
        {
            sut.Seed(Make.Pod($"p{i}").ToJson());
        }

        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/pods?watch=true&resourceVersion={old}", ct);

        var error = await reader.NextAsync(ct);
        Assert.Equal(410, (int?)error!["object"]!["code"]);
        Assert.StartsWith($"too old resource version: {old} (", (string?)error["object"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_LabelSelectorAndObjectLeavesSelection_SendsDeleted()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed(Make.Pod("a").Label("tier", "gpu").ToJson());
        var from = sut.ResourceVersion;
        sut.Modify("pods", "default", "a", p => p["metadata"]!["labels"]!["tier"] = "cpu");
        sut.Seed(Make.Pod("b").Label("tier", "cpu").ToJson());
        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/namespaces/default/pods?watch=true&labelSelector=tier%20in%20(gpu)&resourceVersion={from - 1}", ct);

        var added = await reader.NextAsync(ct);
        var deleted = await reader.NextAsync(ct);
        Assert.Equal("ADDED", (string?)added!["type"]);
        Assert.Equal("DELETED", (string?)deleted!["type"]);
        Assert.Equal("a", (string?)deleted["object"]!["metadata"]!["name"]);
        sut.SendBookmarks();
        sut.DropWatches();
        Assert.Null(await reader.NextAsync(ct));
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_ServerEndsStreamWhenItsClockPasses()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time);
        var ct = TestServer.Generous();
        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/pods?watch=true&timeoutSeconds=60&resourceVersion={sut.ResourceVersion}", ct);
        await sut.WaitForWatchesAsync(1, ct);

        time.Advance(TimeSpan.FromSeconds(59));
        sut.Seed(Make.Pod("a").ToJson());
        var added = await reader.NextAsync(ct);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("ADDED", (string?)added!["type"]);
        Assert.Null(await reader.NextAsync(ct));
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkEveryIntervalOfTheServerClock()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time, o => o.BookmarkInterval = TimeSpan.FromMinutes(1));
        var ct = TestServer.Generous();
        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion={sut.ResourceVersion}", ct);
        await sut.WaitForWatchesAsync(1, ct);

        time.Advance(TimeSpan.FromMinutes(1));
        var bookmark = await reader.NextAsync(ct);

        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("Pod", (string?)bookmark["object"]!["kind"]);
        Assert.Equal(sut.ResourceVersion.ToString(CultureInfo.InvariantCulture), (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed(Make.Pod("a").ToJson());
        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut,
            "api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", ct);

        Assert.Equal("ADDED", (string?)(await reader.NextAsync(ct))!["type"]);
        var bookmark = await reader.NextAsync(ct);
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("true", (string?)bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task DropWatches_OpenClientWatch_EndsTheClientsStream()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var ct = TestServer.Generous();
        var firstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<WatchEventType>();
        var consumer = Task.Run(async () =>
        {
            // KubernetesClient peeks at the first line before it yields, so the stream must carry one.
            await foreach (var (type, _) in client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: sut.ResourceVersion.ToString(CultureInfo.InvariantCulture), cancellationToken: ct))
            {
                received.Add(type);
                firstEvent.TrySetResult();
            }
        }, ct);
        await sut.WaitForWatchesAsync(1, ct);
        sut.Seed(Make.Pod("a").ToJson());
        await firstEvent.Task.WaitAsync(ct);

        var dropped = sut.DropWatches(WatchDropMode.Close);
        await consumer.WaitAsync(ct);

        Assert.Equal(1, dropped);
        Assert.Equal([WatchEventType.Added], received);
        Assert.Equal(0, sut.ActiveWatchCount);
    }

    [Fact]
    public async Task DropWatches_AbortMode_ResetsTheConnection()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        var ct = TestServer.Generous();
        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/pods?watch=true&resourceVersion={sut.ResourceVersion}", ct);
        await sut.WaitForWatchesAsync(1, ct);

        sut.DropWatches(WatchDropMode.Abort);

        await Assert.ThrowsAnyAsync<IOException>(() => reader.NextAsync(ct));
    }

    [Fact]
    public async Task Watch_FieldSelectorOnName_OnlyThatObject()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        var from = sut.ResourceVersion;
        sut.Seed(Make.Pod("a").ToJson());
        sut.Seed(Make.Pod("b").ToJson());
        sut.Modify("pods", "default", "b", p => p["metadata"]!["labels"] = new JsonObject { ["k"] = "v" });
        var ct = TestServer.Generous();

        await using var reader = await WatchReader.OpenAsync(sut, $"api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Db&resourceVersion={from}", ct);

        Assert.Equal("ADDED", (string?)(await reader.NextAsync(ct))!["type"]);
        var modified = await reader.NextAsync(ct);
        Assert.Equal("MODIFIED", (string?)modified!["type"]);
        Assert.Equal("b", (string?)modified["object"]!["metadata"]!["name"]);
    }
}
