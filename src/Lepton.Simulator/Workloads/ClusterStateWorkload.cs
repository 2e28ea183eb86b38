using Lepton.Kubernetes;
using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Workloads;

/// <summary>
/// A workload from <c>kubectl get nodes,pods -A -o json</c>: the nodes and bound pods are the
/// starting state, and the pending pods arrive in creation order.
/// </summary>
public static class ClusterStateWorkload
{
    /// <summary>Reads a cluster-state file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The workload.</returns>
    /// <exception cref="WorkloadFormatException">The file is unreadable or malformed, or has no nodes or no pending pods.</exception>
    public static Workload Load(string path, GpuModelCatalog? catalog = null)
    {
        ClusterStateSnapshot snapshot;
        try
        {
            snapshot = ClusterStateFile.Load(path, new KubeObjectMapper(catalog));
        }
        catch (ClusterStateFileException e)
        {
            throw new WorkloadFormatException(e.Message, e);
        }

        return FromSnapshot(snapshot, path);
    }

    /// <summary>Builds the workload from a loaded snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="path">The file it came from, for reports.</param>
    /// <returns>The workload.</returns>
    /// <exception cref="WorkloadFormatException">The snapshot has no nodes or no pending pods.</exception>
    public static Workload FromSnapshot(ClusterStateSnapshot snapshot, string path)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Nodes.Count == 0)
        {
            throw new WorkloadFormatException(path, 0, 0, "the cluster state has no nodes");
        }

        if (snapshot.PendingPods.Count == 0)
        {
            throw new WorkloadFormatException(path, 0, 0, "the cluster state has no pending pods to place");
        }

        var start = snapshot.PendingPods[0].CreatedAt;
        var pods = new List<WorkloadPod>(snapshot.PendingPods.Count);
        foreach (var p in snapshot.PendingPods)
        {
            long? created = start is { } s && p.CreatedAt is { } c ? (long)(c - s).TotalSeconds : null;
            pods.Add(new WorkloadPod(p, created));
        }

        return new Workload
        {
            Name = Path.GetFileNameWithoutExtension(path),
            Source = WorkloadSource.ClusterState,
            Nodes = snapshot.Nodes,
            Pods = pods,
            BoundPods = snapshot.BoundPods,
            Origin = path,
        };
    }
}
