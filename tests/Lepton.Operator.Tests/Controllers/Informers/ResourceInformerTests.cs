using System.Threading.Channels;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.Controllers.Informers;

/// <summary>The informer loop against a scripted lister/watcher (the API-server tests are in ResourceInformerServerTests).</summary>
public sealed class ResourceInformerTests : IAsyncDisposable
{
    private readonly TestClock _clock = new();
    private readonly FakeListerWatcher<V1ConfigMap> _api = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<ResourceEvent<V1ConfigMap>> _events = Channel.CreateUnbounded<ResourceEvent<V1ConfigMap>>();
    private readonly ResourceInformer<V1ConfigMap> _sut;
    private Task? _run;

    public ResourceInformerTests()
    {
        var options = new InformerOptions { PageSize = 2, Randomizer = () => 0 };
        _sut = new ResourceInformer<V1ConfigMap>(_api, options, _clock, NullLogger<ResourceInformer<V1ConfigMap>>.Instance, TestMetrics.Create());
        _sut.Subscribe(e => _events.Writer.TryWrite(e));
    }

    [Fact]
    public async Task RunAsync_PagedList_CachesEveryPageAndSyncsAtTheListVersion()
    {
        _api.ListResponses.Enqueue(r => new ResourceListPage<V1ConfigMap>([Make.ConfigMap("a", "3"), Make.ConfigMap("b", "4")], "10", "page2"));
        _api.ListResponses.Enqueue(r => new ResourceListPage<V1ConfigMap>([Make.ConfigMap("c", "5")], "10", null));

        Start();
        await _sut.ReadyAsync(Timeouts.Token());
        var watch = await _api.NextWatchAsync(Timeouts.Token());

        Assert.True(_sut.HasSynced);
        Assert.Equal(3, _sut.Cache.Count);
        Assert.Equal("10", watch.Request.ResourceVersion);
        Assert.True(watch.Request.AllowBookmarks);
        Assert.Equal(TimeSpan.FromMinutes(5), watch.Request.Timeout);
        Assert.Null((await _api.NextListAsync(Timeouts.Token())).Continue);
        Assert.Equal("page2", (await _api.NextListAsync(Timeouts.Token())).Continue);
        Assert.Equal(["a", "b", "c"], (await Drain(3)).Select(e => e.NewObject!.Metadata.Name));
    }

    [Fact]
    public async Task RunAsync_WatchEvents_AppliedToCacheAndHandlersInOrderWithOldAndNew()
    {
        _api.Items.Add(Make.ConfigMap("a", "1", value: "v1"));
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await Drain(1);

        watch.Send(WatchEventType.Modified, Make.ConfigMap("a", "2", value: "v2"), "2");
        watch.Send(WatchEventType.Added, Make.ConfigMap("b", "3"), "3");
        watch.Send(WatchEventType.Deleted, Make.ConfigMap("a", "4", value: "v2"), "4");
        var events = await Drain(3);

        Assert.Equal([ResourceEventType.Updated, ResourceEventType.Added, ResourceEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal("v1", events[0].OldObject!.Data["value"]);
        Assert.Equal("v2", events[0].NewObject!.Data["value"]);
        Assert.Equal("4", events[2].OldObject!.Metadata.ResourceVersion);
        Assert.Null(events[2].NewObject);
        Assert.Equal(["b"], _sut.Cache.List().Select(c => c.Metadata.Name));
        Assert.Equal("4", _sut.LastSyncResourceVersion);
    }

    [Fact]
    public async Task RunAsync_WatchEndsAfterBookmark_ResumesFromTheBookmarkVersion()
    {
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());

        watch.Bookmark("42");
        watch.Close();
        var next = await _api.NextWatchAsync(Timeouts.Token());

        Assert.Equal("42", next.Request.ResourceVersion);
    }

    [Fact]
    public async Task RunAsync_TransportErrorMidWatch_BacksOffThenResumesFromTheLastEventWithoutRelisting()
    {
        Start();
        await _api.NextListAsync(Timeouts.Token());
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        watch.Send(WatchEventType.Added, Make.ConfigMap("a", "7"), "7");
        await Drain(1);

        watch.Fail(new IOException("connection reset"));
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(800), Timeouts.Token());
        var next = await _api.NextWatchAsync(Timeouts.Token());

        Assert.Equal("7", next.Request.ResourceVersion);
        Assert.False(_api.NextListAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task RunAsync_RepeatedErrors_BackOffExponentiallyUpTo30Seconds()
    {
        Start();
        await _api.NextWatchAsync(Timeouts.Token()).AsTask().ContinueWith(t => t.Result.Fail(new HttpRequestException("refused")), TaskScheduler.Default);

        foreach (var expected in new[] { 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30 })
        {
            await _clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(expected), Timeouts.Token());
            (await _api.NextWatchAsync(Timeouts.Token())).Fail(new HttpRequestException("refused"));
        }
    }

    [Fact]
    public async Task RunAsync_ListsKeepFailing_FailingSinceStaysAtTheFirstErrorUntilAListSucceeds()
    {
        _api.ListResponses.Enqueue(_ => throw new HttpRequestException("connection refused"));
        _api.ListResponses.Enqueue(_ => throw new HttpRequestException("connection refused again"));
        var healthyAtStart = _sut.FailingSince;
        Start();

        await _clock.WaitForTimerAsync(t => t == TimeSpan.FromMilliseconds(800), Timeouts.Token());
        var firstFailure = (_sut.FailingSince, _sut.LastError);
        _clock.Advance(TimeSpan.FromMilliseconds(800));
        await _clock.WaitForTimerAsync(t => t == TimeSpan.FromMilliseconds(1600), Timeouts.Token());
        var secondFailure = (_sut.FailingSince, _sut.LastError);
        _clock.Advance(TimeSpan.FromMilliseconds(1600));
        await _sut.ReadyAsync(Timeouts.Token());

        Assert.Null(healthyAtStart);
        Assert.Equal((TestClock.Epoch, "connection refused"), firstFailure);
        Assert.Equal((TestClock.Epoch, "connection refused again"), secondFailure);
        Assert.Null(_sut.FailingSince);
        Assert.Null(_sut.LastError);
    }

    [Fact]
    public async Task RunAsync_WatchFailsThenReconnectsQuietly_HealthyOnceTheServerAcceptsTheWatch()
    {
        Start();
        (await _api.NextWatchAsync(Timeouts.Token())).Fail(new HttpRequestException("refused"));
        await _clock.WaitForTimerAsync(t => t == TimeSpan.FromMilliseconds(800), Timeouts.Token());
        var failing = _sut.FailingSince;

        _clock.Advance(TimeSpan.FromMilliseconds(800));
        await _api.NextWatchAsync(Timeouts.Token());

        Assert.Equal(TestClock.Epoch, failing);
        Assert.Null(_sut.FailingSince);
    }

    [Fact]
    public async Task RunAsync_ErrorEvent410_RelistsAndSynthesizesDeleteForVanishedObjects()
    {
        _api.Items.AddRange([Make.ConfigMap("kept", "1"), Make.ConfigMap("changed", "2"), Make.ConfigMap("vanished", "3")]);
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await Drain(3);
        _api.Items.Clear();
        _api.Items.AddRange([Make.ConfigMap("kept", "1"), Make.ConfigMap("changed", "9"), Make.ConfigMap("new", "10")]);
        _api.ListResourceVersion = "11";

        watch.Error(410, "Expired");
        var events = await Drain(3);
        var next = await _api.NextWatchAsync(Timeouts.Token());

        Assert.Contains(events, e => e is { Type: ResourceEventType.Deleted, IsSynthesized: true } && e.OldObject!.Metadata.Name == "vanished");
        Assert.Contains(events, e => e is { Type: ResourceEventType.Updated, IsSynthesized: true } && e.NewObject!.Metadata.ResourceVersion == "9");
        Assert.Contains(events, e => e is { Type: ResourceEventType.Added } && e.NewObject!.Metadata.Name == "new");
        Assert.Equal("11", next.Request.ResourceVersion);
        Assert.Null(_sut.Cache.Get(new NamespacedName("default", "vanished")));
    }

    [Fact]
    public async Task RunAsync_WatchStartGone_RelistsWithoutBackoff()
    {
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await _api.NextListAsync(Timeouts.Token());

        watch.Fail(new k8s.Autorest.HttpOperationException("gone")
        {
            Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.Gone), string.Empty),
        });

        await _api.NextListAsync(Timeouts.Token());
        await _api.NextWatchAsync(Timeouts.Token());
    }

    [Fact]
    public async Task RunAsync_ErrorEventOtherThan410_BacksOffAndResumesWithoutRelist()
    {
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await _api.NextListAsync(Timeouts.Token());

        watch.Error(500, "InternalError");
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMilliseconds(800), Timeouts.Token());
        var next = await _api.NextWatchAsync(Timeouts.Token());

        Assert.Equal("1", next.Request.ResourceVersion);
        Assert.False(_api.NextListAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task RunAsync_DuplicateEventOfCachedVersion_DoesNotNotifyAgain()
    {
        _api.Items.Add(Make.ConfigMap("a", "5"));
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await Drain(1);

        watch.Send(WatchEventType.Modified, Make.ConfigMap("a", "5"), "5");
        watch.Send(WatchEventType.Modified, Make.ConfigMap("a", "6"), "6");

        Assert.Equal("6", (await Drain(1))[0].NewObject!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_InformerFailsLoudly()
    {
        _sut.Subscribe(e => throw new InvalidCastException("handler bug"));
        _api.Items.Add(Make.ConfigMap("a", "1"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _sut.RunAsync(Timeouts.Token()));

        Assert.IsType<InvalidCastException>(error.InnerException);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _sut.ReadyAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceled()
    {
        Start();
        await _api.NextWatchAsync(Timeouts.Token());

        await _stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run!);
    }

    [Fact]
    public async Task Subscribe_AfterSync_ReplaysCachedObjectsAsAdded()
    {
        _api.Items.AddRange([Make.ConfigMap("a", "1"), Make.ConfigMap("b", "2")]);
        Start();
        await _sut.ReadyAsync(Timeouts.Token());
        var late = new List<ResourceEvent<V1ConfigMap>>();

        using var subscription = _sut.Subscribe(late.Add);

        Assert.Equal(["a", "b"], late.Select(e => e.NewObject!.Metadata.Name).Order());
        Assert.All(late, e => Assert.Equal(ResourceEventType.Added, e.Type));
    }

    [Fact]
    public async Task RunAsync_ListedObjects_AreStrippedBeforeCaching()
    {
        var cm = Make.ConfigMap("a", "1");
        cm.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }];
        cm.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" };
        _api.Items.Add(cm);

        Start();
        await _sut.ReadyAsync(Timeouts.Token());

        var cached = _sut.Cache.Get(new NamespacedName("default", "a"))!;
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Null(cached.Metadata.Annotations);
    }

    [Fact]
    public async Task RelistAsync_WhileWatching_ListsAgainAndCompletesOnceThatListIsApplied()
    {
        _api.Items.Add(Make.ConfigMap("a", "1"));
        Start();
        var watch = await _api.NextWatchAsync(Timeouts.Token());
        await _api.NextListAsync(Timeouts.Token());
        await Drain(1);
        _api.Items.Add(Make.ConfigMap("b", "7"));
        _api.ListResourceVersion = "7";

        var relist = _sut.RelistAsync(Timeouts.Token());
        await _api.NextListAsync(Timeouts.Token());
        await relist;
        var resumed = await _api.NextWatchAsync(Timeouts.Token());

        Assert.Equal(["a", "b"], _sut.Cache.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(ResourceEventType.Added, (await Drain(1)).Single().Type);
        Assert.Equal("7", resumed.Request.ResourceVersion);
        Assert.NotSame(watch, resumed);
    }

    [Fact]
    public async Task RelistAsync_UnchangedResourceVersion_KeepsTheCachedInstanceAndTransformsOnlyNewOrChanged()
    {
        var transformed = new List<string>();
        var api = new FakeListerWatcher<V1ConfigMap>();
        var sut = new ResourceInformer<V1ConfigMap>(
            api,
            new InformerOptions { PageSize = 2, Randomizer = () => 0 },
            _clock,
            NullLogger<ResourceInformer<V1ConfigMap>>.Instance,
            TestMetrics.Create(),
            cm =>
            {
                transformed.Add(cm.Metadata.Name + "@" + cm.Metadata.ResourceVersion);
                return cm;
            });
        api.Items.AddRange([Make.ConfigMap("kept", "1"), Make.ConfigMap("changed", "2")]);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => sut.RunAsync(stop.Token));
        await sut.ReadyAsync(Timeouts.Token());
        var kept = sut.Cache.Get(new NamespacedName("default", "kept"));
        api.Items.Clear();
        api.Items.AddRange([Make.ConfigMap("kept", "1"), Make.ConfigMap("changed", "9"), Make.ConfigMap("new", "10")]);
        api.ListResourceVersion = "10";

        await sut.RelistAsync(Timeouts.Token());

        Assert.Same(kept, sut.Cache.Get(new NamespacedName("default", "kept")));
        Assert.Equal("9", sut.Cache.Get(new NamespacedName("default", "changed"))!.Metadata.ResourceVersion);
        Assert.Equal(["kept@1", "changed@2", "changed@9", "new@10"], transformed);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task SubscribeFirst_AddedLater_RunsBeforeEarlierSubscribers()
    {
        var order = new List<string>();
        using var late = _sut.Subscribe(_ => order.Add("controller"));
        using var state = _sut.SubscribeFirst(_ => order.Add("state"));
        _api.Items.Add(Make.ConfigMap("a", "1"));

        Start();
        await _api.NextWatchAsync(Timeouts.Token());
        await Drain(1);

        Assert.Equal(["state", "controller"], order);
    }

    [Fact]
    public async Task RelistAsync_BeforeTheFirstList_SatisfiedByIt()
    {
        var relist = _sut.RelistAsync(Timeouts.Token());
        Assert.False(relist.IsCompleted);

        Start();
        await relist;
        await _api.NextWatchAsync(Timeouts.Token());

        Assert.True(_sut.HasSynced);
        Assert.Null((await _api.NextListAsync(Timeouts.Token())).Continue);
        Assert.False(_api.NextListAsync(CancellationToken.None).IsCompleted);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
        }

        _stop.Dispose();
    }

    private void Start() => _run = Task.Run(() => _sut.RunAsync(_stop.Token));

    private async Task<List<ResourceEvent<V1ConfigMap>>> Drain(int count)
    {
        var events = new List<ResourceEvent<V1ConfigMap>>();
        var ct = Timeouts.Token();
        for (var i = 0; i < count; i++)
        {
            events.Add(await _events.Reader.ReadAsync(ct));
        }

        return events;
    }
}
