using System.Text.Json.Nodes;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Metrics;
using Lepton.Operator.Prediction;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Scheduling.Prediction;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Operator.Tests.Prediction;

/// <summary>
/// Run-time predictions through the API test server (issue 14, item 4): the status a job gets with a predictor, a
/// declared duration, the <c>1s</c> trick, a broken or missing predictor, and what the history and metrics learn.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class JobPredictionServiceTests : IAsyncLifetime
{
    private readonly Prometheus.CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private OperatorHarness? _cluster;
    private OperatorMetrics? _metrics;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Predict_TrainingJobWithAPredictor_FirstStatusWriteHasTheDurationSourceAndModel()
    {
        var cluster = await StartAsync(new FakeDurationPredictor(4980));
        var statuses = new List<V1Alpha1LeptonJobStatus>();
        using var recorder = cluster.Jobs.Subscribe(e =>
        {
            lock (statuses)
            {
                if (e.Object.Status is { } s)
                {
                    statuses.Add(s);
                }
            }
        });

        cluster.CreateJob(OperatorHarness.JobJson("train"));
        await cluster.UntilPhaseAsync("train", LeptonJobPhases.Running);
        var sut = cluster.Job("train")!.Status!;

        Assert.Equal(("1h23m", PredictionSources.Predicted, "fake@1"), (sut.PredictedDuration, sut.PredictedDurationSource, sut.PredictionModel));
        Assert.Null(sut.PredictionMessage);
        lock (statuses)
        {
            // Written with the reconciler's first status write, never by a write of its own.
            Assert.All(statuses, s => Assert.Equal("1h23m", s.PredictedDuration));
        }

        // The reconciler measures right after its status write returns; the watch can show the status first.
        await MeasuredAsync(() => _metrics!.JobQueueWait.WithLabels(LeptonJobTypes.Training).Count == 1 && _metrics.JobPredictedDuration.WithLabels(PredictionSources.Predicted).Count >= 1);
        Assert.Equal(1, _metrics!.JobPredictedDuration.WithLabels(PredictionSources.Predicted).Count);
        Assert.Equal(1, _metrics.JobQueueWait.WithLabels(LeptonJobTypes.Training).Count);
    }

    [Fact]
    public async Task Predict_ExpectedDurationLongerThanThePrediction_ShowsTheDeclaredValueAndSource()
    {
        var cluster = await StartAsync(new FakeDurationPredictor(3600));

        cluster.CreateJob(WithSpec(OperatorHarness.JobJson("declared"), expectedDuration: "3h"));
        await cluster.UntilPhaseAsync("declared", LeptonJobPhases.Running);
        var sut = cluster.Job("declared")!.Status!;

        Assert.Equal(("3h", PredictionSources.Declared, "fake@1"), (sut.PredictedDuration, sut.PredictedDurationSource, sut.PredictionModel));
    }

    [Fact]
    public async Task Predict_OneSecondDeclaredWithoutMaxRuntime_ThePredictionOrdersAndTheStatusSaysWhy()
    {
        var cluster = await StartAsync(new FakeDurationPredictor(3600));

        cluster.CreateJob(WithSpec(OperatorHarness.JobJson("trick"), expectedDuration: "1s"));
        cluster.CreateJob(WithSpec(OperatorHarness.JobJson("bounded"), expectedDuration: "20m", maxRuntime: "40m"));
        await cluster.UntilPhaseAsync("trick", LeptonJobPhases.Running);
        await cluster.UntilPhaseAsync("bounded", LeptonJobPhases.Running);
        var trick = cluster.Job("trick")!.Status!;
        var bounded = cluster.Job("bounded")!.Status!;

        Assert.Equal(("1h", PredictionSources.Predicted), (trick.PredictedDuration, trick.PredictedDurationSource));
        Assert.Equal("expectedDuration 1s is shorter than the prediction 1h and maxRuntime is not set, so the prediction orders the job", trick.PredictionMessage);
        Assert.Equal(("20m", PredictionSources.Declared), (bounded.PredictedDuration, bounded.PredictedDurationSource));
    }

    [Theory]
    [InlineData(false, "the duration predictor fake@1 could not predict this job")]
    [InlineData(true, "the duration predictor fake@1 failed: the session is gone")]
    public async Task Predict_BrokenPredictor_WarningEventAndTheJobStillRuns(bool throws, string why)
    {
        var cluster = await StartAsync(new FakeDurationPredictor(null, throws: throws));

        cluster.CreateJob(OperatorHarness.JobJson("broken"));
        await cluster.UntilPhaseAsync("broken", LeptonJobPhases.Running);
        var job = cluster.Job("broken")!;
        var events = await cluster.EventsAsync(job.Metadata.Uid, e => e.Any(x => x.Reason == JobPredictionService.ReasonUnavailable), "a PredictionUnavailable event");

        var sut = Assert.Single(events, e => e.Reason == JobPredictionService.ReasonUnavailable);
        Assert.Equal("Warning", sut.Type);
        Assert.Equal(why + "; the job keeps its first-come place among its priority", sut.Note);
        Assert.Null(job.Status!.PredictedDuration);
        Assert.Null(job.Status.PredictedDurationSource);
        Assert.Equal(why, job.Status.PredictionMessage);
    }

    [Fact]
    public async Task Predict_NoPredictorRegistered_NormalEventAndTheJobStillRuns()
    {
        var cluster = await StartAsync(predictor: null);

        cluster.CreateJob(OperatorHarness.JobJson("none"));
        await cluster.UntilPhaseAsync("none", LeptonJobPhases.Running);
        var job = cluster.Job("none")!;
        var events = await cluster.EventsAsync(job.Metadata.Uid, e => e.Any(x => x.Reason == JobPredictionService.ReasonUnavailable), "a PredictionUnavailable event");

        var sut = Assert.Single(events, e => e.Reason == JobPredictionService.ReasonUnavailable);
        Assert.Equal("Normal", sut.Type);
        Assert.Equal("no duration predictor is configured; the job keeps its first-come place among its priority", sut.Note);
        Assert.Null(job.Status!.PredictedDuration);
    }

    [Fact]
    public async Task Predict_InferenceJob_NeverAskedAndNoDuration()
    {
        var predictor = new FakeDurationPredictor(3600);
        var cluster = await StartAsync(predictor);

        cluster.CreateJob(OperatorHarness.JobJson("serve", type: LeptonJobTypes.Inference, gpus: 1, gpuMilli: 500));
        await cluster.UntilPhaseAsync("serve", LeptonJobPhases.Running);
        var sut = cluster.Job("serve")!.Status!;

        Assert.Empty(predictor.Calls);
        Assert.Null(sut.PredictedDuration);
        Assert.Null(sut.PredictionMessage);
    }

    [Fact]
    public async Task Learn_JobSucceeded_TheNextPredictionSeesItAndItsErrorIsMeasured()
    {
        var predictor = new FakeDurationPredictor(4980);
        var cluster = await StartAsync(predictor);
        cluster.CreateJob(OperatorHarness.JobJson("first"));
        await cluster.UntilPhaseAsync("first", LeptonJobPhases.Running);
        cluster.Kubelet!.Finish("default", cluster.PodsOf("first")[0].Metadata.Name);
        await cluster.UntilPhaseAsync("first", LeptonJobPhases.Succeeded);

        cluster.CreateJob(OperatorHarness.JobJson("second", gpus: 2));
        await cluster.UntilPhaseAsync("second", LeptonJobPhases.Running);
        var calls = predictor.Calls;
        var first = cluster.Job("first")!;

        Assert.Equal([0L, 1L], calls.Select(c => c.HistoryCount));
        Assert.Equal([1, 2], calls.Select(c => c.Pod.GpuCount));
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(first.Metadata.CreationTimestamp!.Value, DateTimeKind.Utc)), calls[0].SubmittedAt);
        await MeasuredAsync(() => _metrics!.JobPredictionLogError.WithLabels(PredictionSources.Predicted).Count >= 1);
        Assert.Equal(1, _metrics!.JobPredictionLogError.WithLabels(PredictionSources.Predicted).Count);
        Assert.True(_metrics.JobPredictionLogError.WithLabels(PredictionSources.Predicted).Sum > Math.Log(4980.0 / 60));
    }

    /// <summary>
    /// Waits until the reconciler's bookkeeping after a status write (metrics) shows; bounded by <see cref="Hang.Timeout"/>
    /// (a hung test, not a timing assertion). Metrics raise no event to wait on, so this looks again every few ms.
    /// </summary>
    private static async Task MeasuredAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Hang.Timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), limit.Token);
        }
    }

    private async Task<OperatorHarness> StartAsync(IDurationPredictor? predictor)
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(1, gpus: 8);
        _metrics = new OperatorMetrics(_registry);
        await _cluster.StartOperatorAsync(configure: s =>
        {
            s.AddSingleton(_metrics);
            if (predictor is not null)
            {
                s.AddSingleton(predictor);
            }
        });
        await _cluster.StartClusterAsync();
        return _cluster;
    }

    private static JsonObject WithSpec(JsonObject job, string? expectedDuration = null, string? maxRuntime = null)
    {
        var spec = job["spec"]!.AsObject();
        if (expectedDuration is not null)
        {
            spec["expectedDuration"] = expectedDuration;
        }

        if (maxRuntime is not null)
        {
            spec["maxRuntime"] = maxRuntime;
        }

        return job;
    }
}
