using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Workloads;

/// <summary>
/// What a simulation replays: the nodes, the pods that arrive, and (for a cluster-state input)
/// the pods already bound at the start.
/// </summary>
public sealed class Workload
{
    /// <summary>A short name for reports (the pod file's name without extension, or <c>builtin</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Where the workload came from.</summary>
    public required WorkloadSource Source { get; init; }

    /// <summary>The nodes.</summary>
    public required IReadOnlyList<NodeInventory> Nodes { get; init; }

    /// <summary>The pods that arrive (trace pods, or a cluster's pending pods in creation order).</summary>
    public required IReadOnlyList<WorkloadPod> Pods { get; init; }

    /// <summary>Pods bound to nodes before the first arrival (cluster-state input only).</summary>
    public IReadOnlyList<(PodDemand Pod, string NodeName)> BoundPods { get; init; } = [];

    /// <summary>Where the workload was read from, for reports (file paths, or a description).</summary>
    public string Origin { get; init; } = string.Empty;

    /// <summary>Whether every arriving pod has a creation time (required by the timeline mode).</summary>
    public bool HasTimes
    {
        get
        {
            if (Pods.Count == 0)
            {
                return false;
            }

            foreach (var p in Pods)
            {
                if (p.CreatedAtSeconds is null)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Total GPU capacity of the nodes, milli-GPU.</summary>
    public long GpuCapacityMilli
    {
        get
        {
            long total = 0;
            foreach (var n in Nodes)
            {
                total += n.GpuMilliCapacity;
            }

            return total;
        }
    }
}
