using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Metrics;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing;
using Lepton.Testing.KubeApiServer.Watch;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.Controllers.Informers;

/// <summary>The informer over HTTP against the in-process API server, with its fault injection.</summary>
public sealed class ResourceInformerServerTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly EventSink<V1ConfigMap> _events = new();
    private readonly OperatorMetrics _metrics = TestMetrics.Create();
    private TestKube _kube = null!;
    private ResourceInformer<V1ConfigMap> _sut = null!;
    private Task? _run;

    public async Task InitializeAsync()
    {
        _kube = await TestKube.StartAsync();
        var listerWatcher = new KubernetesListerWatcher<V1ConfigMap>(_kube.Client, ResourceEndpoint.For<V1ConfigMap>("default"));
        _sut = new ResourceInformer<V1ConfigMap>(
            listerWatcher,
            new InformerOptions { PageSize = 2, Randomizer = () => 0 },
            _clock,
            NullLogger<ResourceInformer<V1ConfigMap>>.Instance,
            _metrics);
        _sut.Subscribe(_events.Handle);
    }

    [Fact]
    public async Task RunAsync_FiveObjectsPageSizeTwo_ListsThreePagesThenWatchesFromTheListVersion()
    {
        for (var i = 0; i < 5; i++)
        {
            _kube.Server.Create(Make.ConfigMapJson("cm" + i));
        }

        var listVersion = _kube.Server.ResourceVersion;
        await StartAndSyncAsync();
        await _kube.Server.WaitForWatchesAsync(1, Timeouts.Token());

        var lists = _kube.Server.Requests.Entries.Where(r => r is { Verb: "list", Resource: "configmaps" }).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Contains("limit=2", r.Query, StringComparison.Ordinal));
        Assert.DoesNotContain("continue=", lists[0].Query, StringComparison.Ordinal);
        Assert.Contains("continue=", lists[2].Query, StringComparison.Ordinal);
        Assert.Equal(5, _sut.Cache.Count);
        var watch = Assert.Single(_kube.Sent.Watches);
        Assert.Contains($"resourceVersion={listVersion}", watch, StringComparison.Ordinal);
        Assert.Contains("allowWatchBookmarks=true", watch, StringComparison.Ordinal);
        Assert.Contains("timeoutSeconds=300", watch, StringComparison.Ordinal);
        Assert.All((await _events.ReadAsync(5)).Select(e => e.Type), t => Assert.Equal(ResourceEventType.Added, t));
    }

    [Fact]
    public async Task RunAsync_CreateUpdateDelete_DeliversEventsInOrderAndKeepsTheCacheCurrent()
    {
        await StartAndSyncAsync();

        _kube.Server.Create(Make.ConfigMapJson("a", value: "1"));
        _kube.Server.Modify("configmaps", "default", "a", o => o["data"]!["value"] = "2");
        _kube.Server.Create(Make.ConfigMapJson("b"));
        _kube.Server.Delete("configmaps", "default", "a");
        var events = await _events.ReadAsync(4);

        Assert.Equal(
            [(ResourceEventType.Added, "a"), (ResourceEventType.Updated, "a"), (ResourceEventType.Added, "b"), (ResourceEventType.Deleted, "a")],
            events.Select(e => (e.Type, e.Object.Metadata.Name)));
        Assert.Equal("1", events[1].OldObject!.Data["value"]);
        Assert.Equal("2", events[1].NewObject!.Data["value"]);
        Assert.Equal(["b"], _sut.Cache.List().Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task RunAsync_WatchDroppedAndRefusedWhileObjectsChange_ResumesWithoutDuplicatesOrGaps()
    {
        _kube.Server.Create(Make.ConfigMapJson("a", value: "1"));
        await StartAndSyncAsync();
        await _events.ReadAsync(1);
        _kube.Server.Create(Make.ConfigMapJson("b"));
        await _events.ReadAsync(1);
        var seen = _kube.Server.ResourceVersion;

        _kube.Server.Faults.FailNext(1, verb: "watch", resource: "configmaps", statusCode: 500);
        Assert.Equal(1, _kube.Server.DropWatches(WatchDropMode.Close));
        await _clock.WaitForTimerAsync(left => left == TimeSpan.FromMilliseconds(800), Timeouts.Token());
        _kube.Server.Create(Make.ConfigMapJson("c"));
        _kube.Server.Modify("configmaps", "default", "a", o => o["data"]!["value"] = "2");
        _clock.Advance(TimeSpan.FromMilliseconds(800));
        var missed = await _events.ReadAsync(2);
        _kube.Server.Create(Make.ConfigMapJson("sentinel"));
        var next = await _events.ReadAsync(1);

        Assert.Equal([(ResourceEventType.Added, "c"), (ResourceEventType.Updated, "a")], missed.Select(e => (e.Type, e.Object.Metadata.Name)));
        Assert.Equal("sentinel", next[0].Object.Metadata.Name);
        Assert.Equal(3, _kube.Sent.Watches.Count);
        Assert.All(_kube.Sent.Watches.Skip(1), q => Assert.Contains($"resourceVersion={seen}", q, StringComparison.Ordinal));
        Assert.Single(_kube.Server.Requests.Entries, r => r.Verb == "list");
    }

    [Fact]
    public async Task RunAsync_ConnectionAborted_ReconnectsAndMissesNothing()
    {
        _kube.Server.Create(Make.ConfigMapJson("a"));
        await StartAndSyncAsync();
        await _events.ReadAsync(1);

        _kube.Server.DropWatches(WatchDropMode.Abort);
        _kube.Server.Create(Make.ConfigMapJson("b"));
        var events = await _events.ReadAsync(1, _clock);
        _kube.Server.Create(Make.ConfigMapJson("c"));
        events.AddRange(await _events.ReadAsync(1, _clock));

        Assert.Equal(["b", "c"], events.Select(e => e.Object.Metadata.Name));
        Assert.All(events, e => Assert.Equal(ResourceEventType.Added, e.Type));
        Assert.False(_events.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_HistoryCompactedWhileDisconnected_RelistsAndSynthesizesTheMissedDelete()
    {
        _kube.Server.Create(Make.ConfigMapJson("kept"));
        _kube.Server.Create(Make.ConfigMapJson("deleted"));
        await StartAndSyncAsync();
        await _events.ReadAsync(2);

        _kube.Server.Faults.FailNext(1, verb: "watch", resource: "configmaps", statusCode: 503);
        _kube.Server.DropWatches(WatchDropMode.Close);
        await _clock.WaitForTimerAsync(left => left > TimeSpan.Zero && left <= TimeSpan.FromSeconds(30), Timeouts.Token());
        _kube.Server.Delete("configmaps", "default", "deleted");
        _kube.Server.Create(Make.ConfigMapJson("added"));
        _kube.Server.Compact();
        var events = await _events.ReadAsync(2, _clock);

        Assert.Contains(events, e => e is { Type: ResourceEventType.Deleted, IsSynthesized: true } && e.Object.Metadata.Name == "deleted");
        Assert.Contains(events, e => e.Type == ResourceEventType.Added && e.Object.Metadata.Name == "added");
        Assert.Equal(["added", "kept"], _sut.Cache.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(2, _kube.Server.Requests.Entries.Count(r => r.Verb == "list"));
        Assert.Equal(1, _metrics.InformerRelists.WithLabels("configmaps").Value);
    }

    [Fact]
    public async Task RunAsync_ListFailsWith500Twice_RetriesWithBackoffThenSyncs()
    {
        _kube.Server.Create(Make.ConfigMapJson("a"));
        _kube.Server.Faults.FailNext(2, verb: "list", resource: "configmaps", statusCode: 500);

        Start();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(800), Timeouts.Token());
        Assert.False(_sut.HasSynced);
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(1600), Timeouts.Token());
        await _sut.ReadyAsync(Timeouts.Token());

        Assert.Equal([500, 500, 200], _kube.Server.Requests.Entries.Where(r => r.Verb == "list").Select(r => r.StatusCode));
        Assert.Single(_sut.Cache.List());
    }

    [Fact]
    public async Task RunAsync_BookmarkThenWatchEnds_ResumesFromTheBookmarkVersion()
    {
        await StartAndSyncAsync();
        await _kube.Server.WaitForWatchesAsync(1, Timeouts.Token());
        _kube.Server.Create(Make.ConfigMapJson("elsewhere", ns: "kube-system"));
        var bookmarked = _kube.Server.ResourceVersion;

        _kube.Server.SendBookmarks();
        _kube.Server.DropWatches(WatchDropMode.Close);
        var secondWatch = _kube.Sent.WaitForWatchAsync(2, Timeouts.Token());
        await _clock.AdvanceUntilAsync(secondWatch, TimeSpan.FromSeconds(30), Timeouts.Token());

        Assert.Contains($"resourceVersion={bookmarked}", (await secondWatch).Query, StringComparison.Ordinal);
        Assert.Equal(bookmarked.ToString(System.Globalization.CultureInfo.InvariantCulture), _sut.LastSyncResourceVersion);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
        }

        await _kube.DisposeAsync();
        _stop.Dispose();
    }

    private void Start() => _run = Task.Run(() => _sut.RunAsync(_stop.Token));

    private async Task StartAndSyncAsync()
    {
        Start();
        await _sut.ReadyAsync(Timeouts.Token());
        await _kube.Server.WaitForWatchesAsync(1, Timeouts.Token());
    }
}
