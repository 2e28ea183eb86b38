using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Gangs;
using Lepton.Operator.Prediction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Jobs;

/// <summary>
/// Reconciles a LeptonJob into its pods, level-triggered from the informer caches (house style 6-7):
/// <list type="number">
/// <item>a deleted job (with <c>deletionTimestamp</c>) has its pods and Service deleted, then loses the
/// <c>lepton.ai/cleanup</c> finalizer; a live job gets the finalizer first;</item>
/// <item>a spec the API server admits but the operator cannot run (a pod template without containers,
/// <see cref="LeptonJobValidator"/>; the CRD's schema and CEL rules are the API server's job) fails the job
/// with <c>Failed=True</c>, reason <c>InvalidSpec</c>;</item>
/// <item>a failed replica fails the job (<c>restartPolicy: Never</c>, or OnFailure past
/// <see cref="OperatorOptions.MaxRestarts"/>) or is replaced by its next attempt (OnFailure);</item>
/// <item>a job running longer than <c>maxRuntime</c> is stopped and fails with <c>MaxRuntimeExceeded</c>
/// (checked again with <see cref="ReconcileResult.RequeueAfter"/> on the injected clock);</item>
/// <item>missing pods are created (gated for a gang, <see cref="JobPodBuilder"/>) under deterministic names, so a
/// stale cache or a second leader can never duplicate them (a create that finds the name taken is a no-op);</item>
/// <item>the status is recomputed (<see cref="JobStatusRules"/>) and written through <c>/status</c> as a merge
/// patch with the resourceVersion it was computed from as precondition, only when it changed. The job this
/// reconciler last wrote is reconciled from until the cache shows it (read-your-writes), so its own writes do
/// not turn the next one into a 409.</item>
/// </list>
/// A Training job first seen without a run-time prediction gets one in that same status write
/// (<see cref="JobPredictionService"/>: <c>status.predictedDuration</c>, its source and model), never a write of its own.
/// Each state change is also an Event on the job (<see cref="JobEvents"/>: pods created, bound, unschedulable, running,
/// succeeded, failed with the reason), recorded after the status write that shows it.
/// A 409 anywhere surfaces as a <see cref="Resilience.ConflictException"/>: the controller requeues the key.
/// </summary>
public sealed partial class LeptonJobReconciler : IReconciler<V1Alpha1LeptonJob>
{
    private readonly IObjectCache<V1Alpha1LeptonJob> _jobs;
    private readonly IObjectCache<V1Pod> _pods;
    private readonly LeptonJobApi _api;
    private readonly JobPodBuilder _builder;
    private readonly GangVerdicts _verdicts;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventRecorder _events;
    private readonly JobPredictionService _predictions;
    private readonly ConcurrentDictionary<string, byte> _servicesEnsured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<NamespacedName, (string[] Superseded, V1Alpha1LeptonJob Result)> _written = new();

    /// <summary>Creates the reconciler.</summary>
    /// <param name="jobs">The LeptonJob informer.</param>
    /// <param name="pods">The pod informer (an owner-UID index is added to its cache).</param>
    /// <param name="api">The API writes.</param>
    /// <param name="verdicts">Gang admission's verdicts.</param>
    /// <param name="options">The operator options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="events">Makes the recorder of the job's Events (<see cref="JobEvents"/>).</param>
    /// <param name="predictions">Predicts run times and learns from finished jobs.</param>
    /// <param name="logger">The logger.</param>
    public LeptonJobReconciler(
        IResourceInformer<V1Alpha1LeptonJob> jobs,
        IResourceInformer<V1Pod> pods,
        LeptonJobApi api,
        GangVerdicts verdicts,
        IOptions<OperatorOptions> options,
        TimeProvider time,
        EventRecorderFactory events,
        JobPredictionService predictions,
        ILogger<LeptonJobReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(logger);
        _predictions = predictions;
        _events = events.Create(JobEvents.ReportingController);
        _jobs = jobs.Cache;
        _pods = pods.Cache;
        _pods.AddIndexer(CacheIndexers.OwnerUid, CacheIndexers.ByOwnerUid);
        _api = api;
        _verdicts = verdicts;
        _options = options.Value;
        _builder = new JobPodBuilder(_options);
        _time = time;
        _logger = logger;
    }

    /// <summary>Maps a pod event to the key of the LeptonJob that controls the pod (for <see cref="Controller{T}.Watch{TOther}"/>).</summary>
    /// <param name="e">The pod event.</param>
    /// <returns>The job key, if the pod belongs to one.</returns>
    public static IEnumerable<NamespacedName> OwningJob(ResourceEvent<V1Pod> e)
    {
        var pod = e.Object;
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == V1Alpha1LeptonJob.KubeKind && o.ApiVersion?.StartsWith(V1Alpha1LeptonJob.KubeGroup + "/", StringComparison.Ordinal) == true);
        return owner is null ? [] : [new NamespacedName(pod.Metadata!.NamespaceProperty, owner.Name)];
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var job = _jobs.Get(key);
        if (job is null)
        {
            _verdicts.Forget(key);
            _written.TryRemove(key, out _);
            _predictions.Forget(key);
            return ReconcileResult.Done;
        }

        job = ReadYourWrites(key, job);

        if (job.Metadata.DeletionTimestamp is not null)
        {
            await FinalizeAsync(key, job, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (!HasFinalizer(job))
        {
            job = Remember(key, job, await _api.PatchJobAsync(key.Namespace!, key.Name, FinalizerPatch(job, add: true), cancellationToken).ConfigureAwait(false));
        }

        var pods = JobPods.From(job, _pods.ByIndex(CacheIndexers.OwnerUid, job.Metadata.Uid));
        var status = JobStatusRules.Clone(job.Status);
        var generation = job.Metadata.Generation;

        var violations = LeptonJobValidator.Validate(job);
        if (violations.Count > 0)
        {
            await StopAsync(pods.All, cancellationToken).ConfigureAwait(false);
            var message = LeptonJobValidator.Describe(violations);
            JobStatusRules.Fail(status, LeptonJobConditionReasons.InvalidSpec, message, generation, _time);
            await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
            LogInvalid(_logger, key, message);
            return ReconcileResult.Done;
        }

        if (LeptonJobPhases.IsTerminal(status.Phase))
        {
            if (status.Phase == LeptonJobPhases.Failed)
            {
                await StopAsync(pods.All, cancellationToken).ConfigureAwait(false);
            }

            _predictions.Learn(job, status);
            _verdicts.Forget(key);
            return ReconcileResult.Done;
        }

        var spec = job.Spec;
        var failed = pods.Current.Where(kv => kv.Value.Status?.Phase == "Failed").OrderBy(kv => kv.Key).ToList();
        if (failed.Count > 0 && (spec.RestartPolicy != LeptonJobRestartPolicies.OnFailure || pods.Failures > _options.MaxRestarts))
        {
            var (index, pod) = failed[0];
            var why = pod.Status?.Reason is { Length: > 0 } r ? $" ({r}{(pod.Status.Message is { Length: > 0 } m ? ": " + m : string.Empty)})" : string.Empty;
            var message = spec.RestartPolicy == LeptonJobRestartPolicies.OnFailure
                ? string.Create(CultureInfo.InvariantCulture, $"replica {index} (pod {pod.Metadata.Name}) failed{why}; {pods.Failures} failures exceed the restart limit of {_options.MaxRestarts}")
                : string.Create(CultureInfo.InvariantCulture, $"replica {index} (pod {pod.Metadata.Name}) failed{why}");
            await StopAsync(pods.All, cancellationToken).ConfigureAwait(false);
            JobStatusRules.Update(status, job, pods.Current, null, _time);
            JobStatusRules.Fail(status, LeptonJobConditionReasons.ReplicaFailed, message, generation, _time);
            await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
            _verdicts.Forget(key);
            LogFailed(_logger, key, message);
            return ReconcileResult.Done;
        }

        ReconcileResult result = ReconcileResult.Done;
        if (status.StartTime is { } started && spec.MaxRuntime is { } maxText && GoDuration.TryParse(maxText, out var maxRuntime))
        {
            var deadline = new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) + maxRuntime;
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                var message = $"the job ran longer than maxRuntime {maxText} (started {started.ToString("O", CultureInfo.InvariantCulture)}); its replicas were stopped";
                await StopAsync(pods.All, cancellationToken).ConfigureAwait(false);
                JobStatusRules.Update(status, job, pods.Current, null, _time);
                JobStatusRules.Fail(status, LeptonJobConditionReasons.MaxRuntimeExceeded, message, generation, _time);
                await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
                _verdicts.Forget(key);
                LogFailed(_logger, key, message);
                return ReconcileResult.Done;
            }

            result = ReconcileResult.After(left);
        }

        if (JobPodBuilder.IsDistributed(job) && _servicesEnsured.TryAdd(job.Metadata.Uid, 0))
        {
            try
            {
                await _api.EnsureServiceAsync(JobPodBuilder.BuildService(job), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _servicesEnsured.TryRemove(job.Metadata.Uid, out _);
                throw;
            }
        }

        var current = new Dictionary<int, V1Pod>(pods.Current);
        for (var index = 0; index < spec.Replicas; index++)
        {
            pods.Current.TryGetValue(index, out var pod);
            if (pod is not null && pod.Status?.Phase != "Failed")
            {
                continue;
            }

            var attempt = pods.NextAttempt(index);
            var created = _builder.BuildPod(job, index, attempt);
            if (await _api.CreatePodAsync(created, cancellationToken).ConfigureAwait(false))
            {
                LogCreated(_logger, key, created.Metadata.Name, index, attempt);
                await RecordAsync(job, JobEvents.Created(created.Metadata.Name, index, attempt), cancellationToken).ConfigureAwait(false);
            }

            current[index] = created;
        }

        foreach (var stray in pods.Strays.Where(JobPods.IsActive))
        {
            await _api.DeletePodAsync(stray.Metadata.NamespaceProperty, stray.Metadata.Name, stray.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }

        var prediction = _predictions.Predict(job, status);
        JobStatusRules.Update(status, job, current, JobPodBuilder.IsGang(job) ? _verdicts.Get(key) : null, _time);
        await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
        _predictions.Observe(job, job.Status, status);
        _predictions.Learn(job, status);
        if (prediction is not null)
        {
            _predictions.Decided(job, prediction);
            if (prediction.Event is { } unavailable)
            {
                await RecordAsync(job, unavailable, cancellationToken).ConfigureAwait(false);
            }
        }
        if (result.RequeueAfter is null && status.Phase == LeptonJobPhases.Running && spec.MaxRuntime is { } text && GoDuration.TryParse(text, out var max) && status.StartTime is { } start)
        {
            var left = new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) + max - _time.GetUtcNow();
            result = left > TimeSpan.Zero ? ReconcileResult.After(left) : ReconcileResult.After(TimeSpan.FromMilliseconds(1));
        }

        return result;
    }

    private static bool HasFinalizer(V1Alpha1LeptonJob job) => job.Metadata.Finalizers?.Contains(LeptonJobKeys.Finalizer) == true;

    private static JsonObject FinalizerPatch(V1Alpha1LeptonJob job, bool add)
    {
        var finalizers = (job.Metadata.Finalizers ?? []).Where(f => f != LeptonJobKeys.Finalizer).ToList();
        if (add)
        {
            finalizers.Add(LeptonJobKeys.Finalizer);
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = job.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
    }

    private async Task FinalizeAsync(NamespacedName key, V1Alpha1LeptonJob job, CancellationToken cancellationToken)
    {
        _verdicts.Forget(key);
        if (!HasFinalizer(job))
        {
            return;
        }

        var pods = JobPods.From(job, _pods.ByIndex(CacheIndexers.OwnerUid, job.Metadata.Uid));
        foreach (var pod in pods.All.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            await _api.DeletePodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }

        if (JobPodBuilder.IsDistributed(job))
        {
            await _api.DeleteServiceAsync(key.Namespace!, JobNames.Service(job.Metadata.Name), cancellationToken).ConfigureAwait(false);
        }

        _servicesEnsured.TryRemove(job.Metadata.Uid, out _);
        await _api.PatchJobAsync(key.Namespace!, key.Name, FinalizerPatch(job, add: false), cancellationToken).ConfigureAwait(false);
        _written.TryRemove(key, out _);
        LogFinalized(_logger, key, pods.All.Count);
    }

    private async Task StopAsync(IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        foreach (var pod in pods.Where(JobPods.IsActive))
        {
            await _api.DeletePodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteStatusAsync(V1Alpha1LeptonJob job, V1Alpha1LeptonJobStatus status, CancellationToken cancellationToken)
    {
        if (JobStatusRules.Patch(job, status) is { } patch)
        {
            var written = await _api.PatchJobStatusAsync(job.Metadata.NamespaceProperty, job.Metadata.Name, patch, cancellationToken).ConfigureAwait(false);
            Remember(NamespacedName.Of(job), job, written);
            foreach (var e in JobEvents.Diff(job.Status, status))
            {
                await RecordAsync(job, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<EventOutcome> RecordAsync(V1Alpha1LeptonJob job, JobEvent e, CancellationToken cancellationToken) =>
        _events.RecordAsync(ObjectReferences.For(job), e.Node is null ? null : ObjectReferences.Node(e.Node), e.Type, e.Reason, e.Action, e.Note, cancellationToken);

    /// <summary>
    /// The job as this reconciler last wrote it, while the cache still shows the version that write replaced
    /// (the watch event is on its way): reconciling from it avoids a 409 on the next write. Any other version in
    /// the cache (it caught up, or someone else wrote) wins and the remembered one is dropped.
    /// </summary>
    private V1Alpha1LeptonJob ReadYourWrites(NamespacedName key, V1Alpha1LeptonJob cached)
    {
        if (_written.TryGetValue(key, out var written))
        {
            if (written.Superseded.Contains(cached.Metadata.ResourceVersion) && written.Result.Metadata.Uid == cached.Metadata.Uid)
            {
                return written.Result;
            }

            _written.TryRemove(key, out _);
        }

        return cached;
    }

    private V1Alpha1LeptonJob Remember(NamespacedName key, V1Alpha1LeptonJob before, V1Alpha1LeptonJob after)
    {
        // The versions this chain of own writes replaced (a few: the cache catches up within milliseconds).
        string[] superseded = _written.TryGetValue(key, out var earlier) && earlier.Result.Metadata.ResourceVersion == before.Metadata.ResourceVersion
            ? [.. earlier.Superseded.TakeLast(7), before.Metadata.ResourceVersion]
            : [before.Metadata.ResourceVersion];
        _written[key] = (superseded, after);
        return after;
    }
}
