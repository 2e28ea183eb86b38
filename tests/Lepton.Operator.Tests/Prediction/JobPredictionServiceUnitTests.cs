using k8s;
using Lepton.Kubernetes;
using Lepton.Operator.Entities;
using Lepton.Operator.Metrics;
using Lepton.Operator.Prediction;
using Lepton.Operator.Tests.EndToEnd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Operator.Tests.Prediction;

/// <summary>The history rules of <see cref="JobPredictionService"/> on a fake clock, without an API server.</summary>
public sealed class JobPredictionServiceUnitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeDurationPredictor _predictor = new(600);
    private readonly JobPredictionService _sut;

    public JobPredictionServiceUnitTests()
    {
        _sut = new JobPredictionService(
            [_predictor],
            new KubeObjectMapper(),
            Options.Create(new OperatorOptions()),
            new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()),
            _time,
            NullLogger<JobPredictionService>.Instance);
    }

    [Fact]
    public void Learn_JobsFinishedOutOfOrderWithinASecond_AddsBothWithoutGoingBack()
    {
        _sut.Learn(Job("b"), Succeeded(startedAfter: 10, ranFor: 50));
        _sut.Learn(Job("a"), Succeeded(startedAfter: 10, ranFor: 49));

        Assert.Equal(2, _sut.HistoryCount);
    }

    [Fact]
    public void Learn_SameJobTwiceOrFinishedBeforeTheReplicaStarted_AddsItOnceAndNotTheOldOne()
    {
        var job = Job("a");
        _sut.Learn(job, Succeeded(startedAfter: 10, ranFor: 50));
        _sut.Learn(job, Succeeded(startedAfter: 10, ranFor: 50));
        _sut.Learn(Job("old"), Succeeded(startedAfter: -100, ranFor: 50));
        _sut.Learn(Job("serve", LeptonJobTypes.Inference), Succeeded(startedAfter: 10, ranFor: 50));

        Assert.Equal(1, _sut.HistoryCount);
    }

    [Fact]
    public void Predict_SameJobAfterItWasDecided_NotAskedAgain()
    {
        var job = Job("a");
        var first = _sut.Predict(job, new V1Alpha1LeptonJobStatus());
        _sut.Decided(job, first!);

        var sut = _sut.Predict(job, new V1Alpha1LeptonJobStatus());

        Assert.Null(sut);
        Assert.Single(_predictor.Calls);
        Assert.Equal(("10m", PredictionSources.Predicted), (first!.Decision.Duration, first.Decision.Source));
    }

    [Fact]
    public void Predict_StatusAlreadyHasAPrediction_NotAsked()
    {
        var sut = _sut.Predict(Job("a"), new V1Alpha1LeptonJobStatus { PredictedDuration = "1h", PredictedDurationSource = PredictionSources.Predicted });

        Assert.Null(sut);
        Assert.Empty(_predictor.Calls);
    }

    private V1Alpha1LeptonJob Job(string name, string type = LeptonJobTypes.Training)
    {
        var job = KubernetesJson.Deserialize<V1Alpha1LeptonJob>(OperatorHarness.JobJson(name, type: type).ToJsonString());
        job.Metadata.Uid = "uid-" + name;
        job.Metadata.CreationTimestamp = Start.UtcDateTime;
        return job;
    }

    private static V1Alpha1LeptonJobStatus Succeeded(int startedAfter, int ranFor) => new()
    {
        Phase = LeptonJobPhases.Succeeded,
        StartTime = Start.AddSeconds(startedAfter).UtcDateTime,
        CompletionTime = Start.AddSeconds(startedAfter + ranFor).UtcDateTime,
    };
}
