using Lepton.Scheduling.Fit;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.NodeResources;

/// <summary>
/// kube-scheduler's NodeResourcesFit scoring strategies over CPU, memory and GPU with equal
/// weights: <c>MostAllocated</c> (bin-pack) scores requested·100/allocatable,
/// <c>LeastAllocated</c> (spread) scores (allocatable − requested)·100/allocatable, requested
/// including the pod; resources a node does not have are left out of its average.
/// </summary>
public sealed class NodeResourcesScorer : NodeScorer
{
    /// <summary>The bin-packing policy name.</summary>
    public const string MostAllocatedName = "MostAllocated";

    /// <summary>The spreading policy name.</summary>
    public const string LeastAllocatedName = "LeastAllocated";

    private readonly bool _most;

    /// <summary>Creates the scorer.</summary>
    /// <param name="mostAllocated">True for MostAllocated, false for LeastAllocated.</param>
    public NodeResourcesScorer(bool mostAllocated) => _most = mostAllocated;

    /// <inheritdoc />
    public override string Name => _most ? MostAllocatedName : LeastAllocatedName;

    /// <inheritdoc />
    public override bool ScoresNodesIndependently => true;

    /// <inheritdoc />
    protected override CardSelection.ShareRule ShareRule => _most ? CardSelection.ShareRule.BestFit : CardSelection.ShareRule.MostFree;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pod = state.Pod;
        for (var i = 0; i < nodes.Length; i++)
        {
            var n = nodes[i];
            long sum = 0;
            var weights = 0;
            Add(n.CpuUsedMilli + pod.CpuMilli, n.Inventory.CpuMilli, ref sum, ref weights);
            Add(n.MemoryUsedBytes + pod.MemoryBytes, n.Inventory.MemoryBytes, ref sum, ref weights);
            Add(n.GpuUsedMilli + pod.TotalGpuMilli, n.Inventory.GpuMilliCapacity, ref sum, ref weights);
            scores[i] = weights == 0 ? 0 : (int)(sum / weights);
        }
    }

    /// <summary>One resource's score as kube-scheduler's <c>mostRequestedScore</c>/<c>leastRequestedScore</c>.</summary>
    /// <param name="requested">Requested including the pod.</param>
    /// <param name="allocatable">Allocatable.</param>
    /// <param name="mostAllocated">Which strategy.</param>
    /// <returns>0..100.</returns>
    public static long ResourceScore(long requested, long allocatable, bool mostAllocated)
    {
        if (allocatable <= 0)
        {
            return 0;
        }

        if (mostAllocated)
        {
            return Math.Min(requested, allocatable) * MaxScore / allocatable;
        }

        return requested > allocatable ? 0 : (allocatable - requested) * MaxScore / allocatable;
    }

    private void Add(long requested, long allocatable, ref long sum, ref int weights)
    {
        if (allocatable <= 0)
        {
            return;
        }

        sum += ResourceScore(requested, allocatable, _most);
        weights++;
    }
}
