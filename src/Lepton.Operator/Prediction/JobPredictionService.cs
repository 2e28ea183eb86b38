using System.Collections.Concurrent;
using System.Globalization;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Jobs;
using Lepton.Operator.Metrics;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Prediction;

/// <summary>
/// Predicts the run time of LeptonJobs for the job reconciler (DECISIONS.md 22), with the <see cref="IDurationPredictor"/>
/// registered in DI (<c>lepton serve</c> registers the ONNX predictor; none may be registered):
/// <list type="bullet">
/// <item>a Training job first seen without a prediction gets one (<see cref="Predict"/>) from its replica pod template,
/// mapped to a <see cref="PodDemand"/> as gang admission maps its pods, submitted at <c>metadata.creationTimestamp</c>, with
/// the history of the jobs that succeeded since this replica started; <see cref="JobPredictionRules"/> decides between
/// it and <c>spec.expectedDuration</c>. The fields go into the status the reconciler writes anyway, never a write of their own;</item>
/// <item>no predictor, or one that cannot predict, blocks nothing: the job gets no duration (FIFO order among its
/// priority) and one <see cref="ReasonUnavailable"/> Event saying why;</item>
/// <item>a job that succeeded is added to the history (<see cref="Learn"/>), run seconds = completionTime − startTime as
/// the status records them, in the order they finished, and its error |ln(actual / predicted)| is measured.</item>
/// </list>
/// The history lives in memory (a restarted or new leader starts empty) until a store keeps it. Thread-safe.
/// </summary>
public sealed partial class JobPredictionService
{
    /// <summary>The reason of the Event a job gets when it could not be predicted.</summary>
    public const string ReasonUnavailable = "PredictionUnavailable";

    private readonly IDurationPredictor? _predictor;
    private readonly KubeObjectMapper _mapper;
    private readonly JobPodBuilder _builder;
    private readonly OperatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobHistory _history = new();
    private readonly Lock _historyLock = new();
    private readonly DateTimeOffset _startedAt;
    private readonly ConcurrentDictionary<NamespacedName, string> _decided = new();
    private readonly ConcurrentDictionary<NamespacedName, string> _learned = new();

    /// <summary>Creates the service.</summary>
    /// <param name="predictors">The registered duration predictors (the last one is used; none means no predictions).</param>
    /// <param name="mapper">Maps pods to demands.</param>
    /// <param name="options">The operator options (for the replica pod a template makes).</param>
    /// <param name="metrics">The operator metrics.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public JobPredictionService(
        IEnumerable<IDurationPredictor> predictors,
        KubeObjectMapper mapper,
        IOptions<OperatorOptions> options,
        OperatorMetrics metrics,
        TimeProvider time,
        ILogger<JobPredictionService> logger)
    {
        ArgumentNullException.ThrowIfNull(predictors);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _predictor = predictors.LastOrDefault();
        _mapper = mapper;
        _builder = new JobPodBuilder(options.Value);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var now = time.GetUtcNow();
        _startedAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>The predictor's version, or null when none is registered.</summary>
    public string? PredictorVersion => _predictor?.Version;

    /// <summary>How many succeeded jobs the history has been fed.</summary>
    public long HistoryCount
    {
        get
        {
            lock (_historyLock)
            {
                return _history.Count;
            }
        }
    }

    /// <summary>
    /// Fills the prediction fields of <paramref name="status"/> (a private copy the reconciler is about to write) when
    /// <paramref name="job"/> is a Training job this replica has not decided yet and its status has no prediction.
    /// Call <see cref="Decided"/> after the write.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="status">The status to fill.</param>
    /// <returns>What was decided, with the Event to record when there is no prediction; null when nothing was to decide.</returns>
    public JobPredictionAttempt? Predict(V1Alpha1LeptonJob job, V1Alpha1LeptonJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        if (job.Spec.Type != LeptonJobTypes.Training
            || status.PredictedDuration is not null || status.PredictedDurationSource is not null || status.PredictionMessage is not null
            || (_decided.TryGetValue(NamespacedName.Of(job), out var uid) && uid == job.Metadata.Uid))
        {
            return null;
        }

        var (prediction, unavailable) = TryPredict(job);
        var decision = JobPredictionRules.Decide(job.Spec.ExpectedDuration, job.Spec.MaxRuntime, prediction);
        if (unavailable is not null && decision.Message is null)
        {
            decision = decision with { Message = unavailable };
        }

        status.PredictedDuration = decision.Duration;
        status.PredictedDurationSource = decision.Source;
        status.PredictionModel = decision.Model;
        status.PredictionMessage = decision.Message;
        JobEvent? e = null;
        if (unavailable is not null)
        {
            var outcome = decision.Source == PredictionSources.Declared
                ? $"spec.expectedDuration {decision.Duration} orders the job"
                : "the job keeps its first-come place among its priority";
            e = new JobEvent(_predictor is null ? EventTypes.Normal : EventTypes.Warning, ReasonUnavailable, "Predict", $"{unavailable}; {outcome}");
        }

        return new JobPredictionAttempt(decision, e);
    }

    /// <summary>Marks <paramref name="job"/> decided after the status with the attempt's fields was written, and measures it.</summary>
    /// <param name="job">The job.</param>
    /// <param name="attempt">What <see cref="Predict"/> returned.</param>
    public void Decided(V1Alpha1LeptonJob job, JobPredictionAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(attempt);
        if (_decided.TryGetValue(NamespacedName.Of(job), out var uid) && uid == job.Metadata.Uid)
        {
            return;
        }

        _decided[NamespacedName.Of(job)] = job.Metadata.Uid;
        if (attempt.Decision is { Source: { } source, Seconds: { } seconds })
        {
            _metrics.JobPredicted(source, seconds);
        }
    }

    /// <summary>Measures the queue wait of a job whose status the reconciler just changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="before">The status before (null for a new job).</param>
    /// <param name="after">The status written.</param>
    public void Observe(V1Alpha1LeptonJob job, V1Alpha1LeptonJobStatus? before, V1Alpha1LeptonJobStatus after)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(after);
        if (after.IsConditionTrue(LeptonJobConditionTypes.Scheduled) && before?.IsConditionTrue(LeptonJobConditionTypes.Scheduled) != true
            && job.Metadata.CreationTimestamp is { } created)
        {
            _metrics.JobQueued(job.Spec.Type, _time.GetUtcNow() - Utc(created));
        }
    }

    /// <summary>
    /// Adds a job that succeeded since this replica started to the history (once per job) and measures its prediction's
    /// error; anything else is ignored.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="status">Its status (the one just written, or the cached one).</param>
    public void Learn(V1Alpha1LeptonJob job, V1Alpha1LeptonJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Phase != LeptonJobPhases.Succeeded || status.StartTime is not { } started || status.CompletionTime is not { } completed
            || job.Spec.Type != LeptonJobTypes.Training || Utc(completed) < _startedAt)
        {
            return;
        }

        var key = NamespacedName.Of(job);
        if (_learned.TryGetValue(key, out var uid) && uid == job.Metadata.Uid)
        {
            return;
        }

        _learned[key] = job.Metadata.Uid;
        var run = Math.Max((Utc(completed) - Utc(started)).TotalSeconds, 1);
        if (GoDuration.TryParse(status.PredictedDuration, out var predicted) && predicted > TimeSpan.Zero && status.PredictedDurationSource is { } source)
        {
            _metrics.JobPredictionFinished(source, Math.Abs(Math.Log(run / predicted.TotalSeconds)));
        }

        if (!TryDemand(job, out var demand, out _))
        {
            return;
        }

        lock (_historyLock)
        {
            // Completion times are whole seconds and two workers may finish jobs out of order within one: never go back.
            var finished = _history.LastFinishedAt is { } last && last > Utc(completed) ? last : Utc(completed);
            _history.Add(new FinishedJob(demand, Utc(job.Metadata.CreationTimestamp ?? started), finished, run));
        }
    }

    /// <summary>Forgets a deleted job.</summary>
    /// <param name="key">The job's key.</param>
    public void Forget(NamespacedName key)
    {
        _decided.TryRemove(key, out _);
        _learned.TryRemove(key, out _);
    }

    private (DurationPrediction? Prediction, string? Unavailable) TryPredict(V1Alpha1LeptonJob job)
    {
        var c = CultureInfo.InvariantCulture;
        if (_predictor is null)
        {
            return (null, "no duration predictor is configured");
        }

        if (!TryDemand(job, out var demand, out var problem))
        {
            return (null, $"the replica template cannot be read: {problem}");
        }

        var submitted = Utc(job.Metadata.CreationTimestamp ?? _time.GetUtcNow().UtcDateTime);
        try
        {
            lock (_historyLock)
            {
                if (_predictor.TryPredict(demand, submitted, _history, out var prediction) && double.IsFinite(prediction.Seconds) && prediction.Seconds > 0)
                {
                    return (prediction, null);
                }
            }

            return (null, $"the duration predictor {_predictor.Version} could not predict this job");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPredictorFailed(_logger, NamespacedName.Of(job), _predictor.Version, e);
            return (null, string.Create(c, $"the duration predictor {_predictor.Version} failed: {e.Message}"));
        }
    }

    private bool TryDemand(V1Alpha1LeptonJob job, out PodDemand demand, out string? problem)
    {
        try
        {
            demand = _mapper.ToDemand(_builder.BuildPod(job, 0, 0)) with { ReservedNode = null };
            problem = null;
            return true;
        }
        catch (KubeObjectException e)
        {
            demand = null!;
            problem = e.Message;
            return false;
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
