using System.Globalization;
using k8s.Models;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Jobs;

/// <summary>
/// The pods a job controls, sorted out per replica: the current pod of each index is its highest attempt
/// (failed attempts of an OnFailure job stay, so failures are counted from the cache alone); pods without a
/// valid index, or beyond <c>spec.replicas</c>, are strays.
/// </summary>
internal sealed class JobPods
{
    private readonly Dictionary<int, V1Pod> _current;
    private readonly Dictionary<int, int> _maxAttempt;

    private JobPods(List<V1Pod> all, Dictionary<int, V1Pod> current, Dictionary<int, int> maxAttempt, List<V1Pod> strays)
    {
        All = all;
        _current = current;
        _maxAttempt = maxAttempt;
        Strays = strays;
        Failures = all.Count(p => p.Status?.Phase == "Failed");
    }

    /// <summary>Every pod the job controls.</summary>
    public IReadOnlyList<V1Pod> All { get; }

    /// <summary>Controlled pods that belong to no replica of the current spec.</summary>
    public IReadOnlyList<V1Pod> Strays { get; }

    /// <summary>Failed pods over all replicas and attempts.</summary>
    public int Failures { get; }

    /// <summary>The current pods, by replica index.</summary>
    public IReadOnlyDictionary<int, V1Pod> Current => _current;

    /// <summary>Sorts the pods a job controls.</summary>
    /// <param name="job">The job.</param>
    /// <param name="owned">Pods that name the job as an owner (from the cache's owner index).</param>
    /// <returns>The sorted pods.</returns>
    public static JobPods From(V1Alpha1LeptonJob job, IEnumerable<V1Pod> owned)
    {
        var uid = job.Metadata.Uid;
        var all = owned
            .Where(p => p.Metadata?.OwnerReferences?.Any(o => o.Uid == uid && o.Controller == true) == true)
            .ToList();
        var current = new Dictionary<int, V1Pod>();
        var maxAttempt = new Dictionary<int, int>();
        var strays = new List<V1Pod>();
        foreach (var pod in all)
        {
            var index = Index(pod);
            if (index is not { } i || i >= job.Spec.Replicas)
            {
                strays.Add(pod);
                continue;
            }

            var attempt = Attempt(pod);
            if (!maxAttempt.TryGetValue(i, out var max) || attempt > max)
            {
                maxAttempt[i] = attempt;
                current[i] = pod;
            }
        }

        return new JobPods(all, current, maxAttempt, strays);
    }

    /// <summary>The replica index of a pod (label <c>lepton.ai/replica-index</c>), or null.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The index.</returns>
    public static int? Index(V1Pod pod) =>
        pod.Metadata?.Labels is { } labels && labels.TryGetValue(LeptonJobKeys.ReplicaIndexLabel, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? i
            : null;

    /// <summary>The attempt of a pod (annotation <c>lepton.ai/attempt</c>), 0 when absent.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The attempt.</returns>
    public static int Attempt(V1Pod pod) =>
        pod.Metadata?.Annotations is { } annotations && annotations.TryGetValue(LeptonJobKeys.AttemptAnnotation, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            ? a
            : 0;

    /// <summary>The attempt the next pod of replica <paramref name="index"/> gets: one past the highest, or 0.</summary>
    /// <param name="index">The replica index.</param>
    /// <returns>The attempt.</returns>
    public int NextAttempt(int index) => _maxAttempt.TryGetValue(index, out var max) ? max + 1 : 0;

    /// <summary>Whether a pod runs or may still run (not finished, not being deleted).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True for a live pod.</returns>
    public static bool IsActive(V1Pod pod) => pod.Metadata?.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");
}
