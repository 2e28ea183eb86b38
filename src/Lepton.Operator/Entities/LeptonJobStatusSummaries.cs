using System.Globalization;

namespace Lepton.Operator.Entities;

/// <summary>
/// The short strings the operator writes into <see cref="V1Alpha1LeptonJobStatus.Gpus"/> and
/// <see cref="V1Alpha1LeptonJobStatus.Nodes"/> for kubectl's printer columns.
/// </summary>
public static class LeptonJobStatusSummaries
{
    /// <summary>How many node names <see cref="FormatNodes"/> lists before summarising the rest.</summary>
    public const int MaxListedNodes = 8;

    /// <summary>
    /// The GPUs held by <paramref name="replicas"/> replicas: the whole-GPU count (<c>8</c> for 2
    /// replicas of 4 GPUs), or <c>{replicas}x{milli}m</c> for fractional shares (<c>4x460m</c>);
    /// <c>0</c> without GPUs.
    /// </summary>
    /// <param name="accelerators">The per-replica demand, or null.</param>
    /// <param name="replicas">The number of replicas counted (e.g. the bound ones).</param>
    /// <returns>The summary.</returns>
    public static string FormatGpus(V1Alpha1LeptonJobAccelerators? accelerators, int replicas)
    {
        if (accelerators is null || accelerators.Gpus <= 0 || replicas <= 0)
        {
            return "0";
        }

        return accelerators.IsFractional()
            ? string.Create(CultureInfo.InvariantCulture, $"{replicas}x{accelerators.GpuMilli}m")
            : ((long)replicas * accelerators.Gpus).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The distinct node names of the replicas, in replica-index order, comma-separated; after
    /// <see cref="MaxListedNodes"/> names the rest are counted (<c>n1,n2,...,n8,+5 more</c>).
    /// </summary>
    /// <param name="replicaStatuses">The replica statuses, or null.</param>
    /// <returns>The summary; empty when no replica is bound.</returns>
    public static string FormatNodes(IEnumerable<V1Alpha1LeptonJobReplicaStatus>? replicaStatuses)
    {
        var nodes = (replicaStatuses ?? [])
            .OrderBy(r => r.Index)
            .Select(r => r.NodeName)
            .Where(n => !string.IsNullOrEmpty(n))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (nodes.Count <= MaxListedNodes)
        {
            return string.Join(',', nodes);
        }

        return string.Join(',', nodes.Take(MaxListedNodes))
            + string.Create(CultureInfo.InvariantCulture, $",+{nodes.Count - MaxListedNodes} more");
    }
}
