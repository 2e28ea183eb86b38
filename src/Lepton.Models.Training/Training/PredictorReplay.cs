using Lepton.Models.Features;
using Lepton.Scheduling.Prediction;
using Lepton.Simulator.Workloads;

namespace Lepton.Models.Training;

/// <summary>
/// Replays a trace's pods in submission order the way a live predictor sees them: before each pod is submitted, every
/// pod that finished before that instant is added to a <see cref="JobHistory"/> in finishing order, so history features
/// only ever come from jobs finished before the submission. Trace second <c>s</c> is
/// <see cref="PredictorFeatures.TraceEpoch"/> + s. A pod's run time is deletion − creation (at least 1 s).
/// </summary>
public static class PredictorReplay
{
    /// <summary>The pods of a trace that have both times, deletion after creation, in submission order (creation, then name).</summary>
    /// <param name="pods">The trace's pods.</param>
    /// <returns>The pods with lifetimes.</returns>
    public static WorkloadPod[] WithLifetimes(IEnumerable<WorkloadPod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return [.. pods
            .Where(p => p.CreatedAtSeconds is { } c && p.DeletedAtSeconds is { } d && d > c)
            .OrderBy(p => p.CreatedAtSeconds!.Value)
            .ThenBy(p => p.Pod.Name, StringComparer.Ordinal)];
    }

    /// <summary>The target of a pod: ln(max(1, deletion − creation seconds)).</summary>
    /// <param name="pod">A pod with both times.</param>
    /// <returns>ln seconds.</returns>
    public static double LogLifetime(WorkloadPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Math.Log(Math.Max(1, pod.RunSeconds ?? 1));
    }

    /// <summary>The submission instant of a trace pod.</summary>
    /// <param name="pod">A pod with a creation time.</param>
    /// <returns><see cref="PredictorFeatures.TraceEpoch"/> + its creation second.</returns>
    public static DateTimeOffset SubmittedAt(WorkloadPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return PredictorFeatures.TraceEpoch.AddSeconds(pod.CreatedAtSeconds ?? 0);
    }

    /// <summary>Replays the pods.</summary>
    /// <param name="pods">Pods from <see cref="WithLifetimes"/> (submission order).</param>
    /// <param name="onSubmit">Called for each pod, in submission order, with the history of the pods finished before it.</param>
    public static void Run(IReadOnlyList<WorkloadPod> pods, Action<int, WorkloadPod, JobHistory> onSubmit)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(onSubmit);
        var finishing = pods
            .OrderBy(p => p.DeletedAtSeconds!.Value)
            .ThenBy(p => p.Pod.Name, StringComparer.Ordinal)
            .ToArray();
        var history = new JobHistory();
        var next = 0;
        for (var i = 0; i < pods.Count; i++)
        {
            var pod = pods[i];
            var now = pod.CreatedAtSeconds!.Value;
            while (next < finishing.Length && finishing[next].DeletedAtSeconds!.Value < now)
            {
                var done = finishing[next++];
                history.Add(new FinishedJob(
                    done.Pod,
                    SubmittedAt(done),
                    PredictorFeatures.TraceEpoch.AddSeconds(done.DeletedAtSeconds!.Value),
                    Math.Max(1, done.RunSeconds!.Value)));
            }

            onSubmit(i, pod, history);
        }
    }
}
