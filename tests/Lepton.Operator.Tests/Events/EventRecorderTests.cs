using k8s.Models;
using Lepton.Operator.Events;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Events;

public sealed class EventRecorderTests
{
    private static readonly V1ObjectReference Job = new() { ApiVersion = "lepton.ai/v1alpha1", Kind = "LeptonJob", Name = "train", NamespaceProperty = "default", Uid = "uid-train" };
    private static readonly V1ObjectReference OtherJob = new() { ApiVersion = "lepton.ai/v1alpha1", Kind = "LeptonJob", Name = "serve", NamespaceProperty = "default", Uid = "uid-serve" };

    private readonly FakeTimeProvider _time = new(TestClock.Epoch);

    private async Task<(TestKube Kube, EventRecorder Sut)> StartAsync(EventRecorderOptions? options = null)
    {
        var kube = await TestKube.StartAsync(o => o.TimeProvider = _time);
        var writer = new KubeEventWriter(kube.Client, _time, "lepton.ai/test", "replica-1", NullLogger.Instance);
        return (kube, new EventRecorder(writer, _time, options ?? new EventRecorderOptions(), NullLogger.Instance));
    }

    private static IReadOnlyList<System.Text.Json.Nodes.JsonObject> Events(TestKube kube) => kube.Server.List("events.events.k8s.io", "default");

    [Fact]
    public async Task RecordAsync_SameEventTwiceWithinTheWindow_UpdatesOneEventsSeries()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;

        var first = await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(1));
        var third = await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());

        Assert.Equal((EventOutcome.Created, EventOutcome.SeriesUpdated, EventOutcome.SeriesUpdated), (first, second, third));
        var e = Assert.Single(Events(kube));
        Assert.Equal(3, (int)e["series"]!["count"]!);
        Assert.Equal("no room", (string)e["note"]!);
        Assert.Equal("uid-train", (string)e["regarding"]!["uid"]!);
        Assert.StartsWith((TestClock.Epoch + TimeSpan.FromMinutes(2)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), (string)e["series"]!["lastObservedTime"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_DifferentNoteOrObject_CreatesSeparateEvents()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;

        await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());
        await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "still no room", Timeouts.Token());
        await sut.RecordAsync(OtherJob, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());

        Assert.Equal(3, Events(kube).Count);
        Assert.All(Events(kube), e => Assert.Null(e["series"]));
    }

    [Fact]
    public async Task RecordAsync_RepeatAfterTheWindow_CreatesANewEvent()
    {
        var (kube, sut) = await StartAsync(new EventRecorderOptions { SeriesWindow = TimeSpan.FromMinutes(6) });
        await using var _ = kube;

        await sut.RecordAsync(Job, null, EventTypes.Normal, "Running", "Run", "1 of 1 replicas running", Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(7));
        var again = await sut.RecordAsync(Job, null, EventTypes.Normal, "Running", "Run", "1 of 1 replicas running", Timeouts.Token());

        Assert.Equal(EventOutcome.Created, again);
        Assert.Equal(2, Events(kube).Count);
    }

    [Fact]
    public async Task RecordAsync_BurstSpent_DropsUntilTheBucketRefillsPerObject()
    {
        var (kube, sut) = await StartAsync(new EventRecorderOptions { Burst = 2, RefillInterval = TimeSpan.FromMinutes(5) });
        await using var _ = kube;

        var a = await sut.RecordAsync(Job, null, EventTypes.Normal, "SuccessfulCreate", "Create", "Created pod train-0", Timeouts.Token());
        var b = await sut.RecordAsync(Job, null, EventTypes.Normal, "SuccessfulCreate", "Create", "Created pod train-1", Timeouts.Token());
        var c = await sut.RecordAsync(Job, null, EventTypes.Normal, "SuccessfulCreate", "Create", "Created pod train-2", Timeouts.Token());
        var other = await sut.RecordAsync(OtherJob, null, EventTypes.Normal, "SuccessfulCreate", "Create", "Created pod serve-0", Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(5));
        var d = await sut.RecordAsync(Job, null, EventTypes.Normal, "SuccessfulCreate", "Create", "Created pod train-3", Timeouts.Token());

        Assert.Equal(
            (EventOutcome.Created, EventOutcome.Created, EventOutcome.RateLimited, EventOutcome.Created, EventOutcome.Created),
            (a, b, c, other, d));
        Assert.DoesNotContain(Events(kube), e => (string)e["note"]! == "Created pod train-2");
        Assert.Equal(4, Events(kube).Count);
    }

    [Fact]
    public async Task RecordAsync_RepeatWhileRateLimited_NextUpdateCarriesTheWholeCount()
    {
        var (kube, sut) = await StartAsync(new EventRecorderOptions { Burst = 1, RefillInterval = TimeSpan.FromMinutes(1) });
        await using var _ = kube;

        await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());
        var limited = await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());
        _time.Advance(TimeSpan.FromMinutes(1));
        var updated = await sut.RecordAsync(Job, null, EventTypes.Warning, "Unschedulable", "Schedule", "no room", Timeouts.Token());

        Assert.Equal((EventOutcome.RateLimited, EventOutcome.SeriesUpdated), (limited, updated));
        Assert.Equal(3, (int)Assert.Single(Events(kube))["series"]!["count"]!);
    }

    [Fact]
    public async Task RecordAsync_ApiServerRefuses_FailsQuietlyAndTheNextOccurrenceCreatesIt()
    {
        var (kube, sut) = await StartAsync();
        await using var _ = kube;
        kube.Server.Faults.FailNext(1, verb: "create", resource: "events", statusCode: 500);

        var failed = await sut.RecordAsync(Job, null, EventTypes.Normal, "Bound", "Bind", "Replica 0 bound", Timeouts.Token());
        var retried = await sut.RecordAsync(Job, null, EventTypes.Normal, "Bound", "Bind", "Replica 0 bound", Timeouts.Token());

        Assert.Equal((EventOutcome.Failed, EventOutcome.Created), (failed, retried));
        Assert.Null(Assert.Single(Events(kube))["series"]);
    }
}
