using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Serving;

namespace Lepton.Extender.Loading;

/// <summary>
/// The pods of the <c>--cluster-state</c> file (pending and bound), by namespace and name: what
/// <c>/bind</c> binds in that mode (DECISIONS.md 19). Filled once by <see cref="ClusterStateFileLoader"/>.
/// </summary>
public sealed class StateFilePodLookup : IPodLookup
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), PodDemand> _pods = new();

    /// <summary>How many pods the file had.</summary>
    public int Count => _pods.Count;

    /// <summary>Adds the file's pods (a pod of the same name replaces the older one).</summary>
    /// <param name="pods">The pods.</param>
    public void AddRange(IEnumerable<PodDemand> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        foreach (var pod in pods)
        {
            _pods[(pod.Namespace, pod.Name)] = pod;
        }
    }

    /// <inheritdoc />
    public bool TryGetPod(string @namespace, string name, string uid, [NotNullWhen(true)] out PodDemand? pod, [NotNullWhen(false)] out string? problem)
    {
        if (!_pods.TryGetValue((@namespace, name), out pod))
        {
            problem = "not in the cluster-state file";
            return false;
        }

        if (!string.Equals(pod.Uid, uid, StringComparison.Ordinal))
        {
            problem = $"the cluster-state file's pod of that name has uid {pod.Uid}";
            pod = null;
            return false;
        }

        problem = null;
        return true;
    }
}
