using System.Diagnostics;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Artifact;

/// <summary>
/// The FGD artifact's experiment (<c>traces/openb/METHOD.md</c> section 5): one pass over the
/// arrivals, each pod scheduled once with the policy's own score as the only score (every node
/// filtered and scored, ties to the higher node priority, a single feasible node taken without
/// scoring), never retried; failed pods still count as arrived.
/// </summary>
public static class ArtifactSimulation
{
    /// <summary>Runs one policy on one seed's arrivals.</summary>
    /// <param name="workload">The workload (nodes and bound pods).</param>
    /// <param name="plan">The seed's arrivals; its random stream is consumed.</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="fragmentation">The typical-task mix (from the original workload pods).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    public static RunResult Run(Workload workload, ArrivalPlan plan, NodeScorer scorer, FragmentationModel fragmentation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(fragmentation);
        var clock = Stopwatch.StartNew();
        var state = CreateState(workload, plan);
        var context = new ScoringContext(fragmentation, state.Scale, plan.Random);
        var initial = AllocatedMilli(state);
        var placer = new PolicyPlacer(state, scorer, context) { AllocatedMilli = initial };
        var curve = new AllocationCurve(plan.GpuCapacityMilli);
        var arrived = initial;
        var placed = 0;
        var pods = plan.Pods;
        for (var i = 0; i < pods.Count; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var pod = pods[i];
            arrived += pod.TotalGpuMilli;
            if (placer.TryPlace(pod) is not null)
            {
                placed++;
            }

            curve.Record(arrived, placer.AllocatedMilli);
        }

        return new RunResult
        {
            Policy = scorer.Name,
            Seed = plan.Seed,
            Mode = SimulationMode.Artifact,
            Curve = curve,
            ArrivedPods = pods.Count,
            PlacedPods = placed,
            CloneCount = plan.CloneCount,
            FinalAllocatedPercent = 100.0 * placer.AllocatedMilli / plan.GpuCapacityMilli,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>A cluster state with the plan's nodes in priority order and the workload's bound pods.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="plan">The plan.</param>
    /// <returns>The state.</returns>
    internal static ClusterState CreateState(Workload workload, ArrivalPlan plan)
    {
        var state = new ClusterState(TimeProvider.System, new ClusterStateOptions { RecentPodWindow = 0 });
        state.Load(plan.NodesByPriority, workload.BoundPods);
        return state;
    }

    /// <summary>GPU milli allocated in a state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>Σ over nodes of used milli.</returns>
    internal static long AllocatedMilli(ClusterState state)
    {
        long used = 0;
        foreach (var n in state.Nodes)
        {
            used += n.GpuUsedMilli;
        }

        return used;
    }
}
