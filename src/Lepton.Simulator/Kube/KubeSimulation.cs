using System.Diagnostics;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Kube;

/// <summary>
/// The artifact's arrivals placed as a real cluster with Lepton would place them: through
/// <see cref="KubeSchedulerEmulator"/> with Lepton as an in-process extender. One pass, no
/// retries, failed pods counted as arrived, so the numbers compare with the artifact mode's.
/// </summary>
public static class KubeSimulation
{
    /// <summary>Runs one policy on one seed's arrivals.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="plan">The seed's arrivals; its random stream draws the tie-breaks.</param>
    /// <param name="scorer">The policy Lepton's extender runs.</param>
    /// <param name="fragmentation">The typical-task mix.</param>
    /// <param name="options">kube-scheduler's configuration.</param>
    /// <param name="mapping">The extender's 0..100 → 0..10 mapping.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    public static RunResult Run(
        Workload workload,
        ArrivalPlan plan,
        NodeScorer scorer,
        FragmentationModel fragmentation,
        KubeSchedulerOptions options,
        ScoreMapping mapping,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var state = ArtifactSimulation.CreateState(workload, plan);
        // The reference expresses no preference under any mapping (StableRank would otherwise
        // turn its all-equal scores into a fixed node order, which is a policy of its own).
        // One core per run: the runner already runs seeds side by side.
        var engine = new CandidateScoring(state, scorer, new FixedTypicalMix(fragmentation), scorer is NoPreferenceScorer ? ScoreMapping.MinMax : mapping, plan.Seed, cores: 1);
        var backend = new InProcessExtenderBackend(engine);

        // kube-scheduler lists nodes as the API server returns them: by name.
        var byName = plan.NodesByPriority.ToArray();
        Array.Sort(byName, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var scheduler = new KubeSchedulerEmulator(byName, backend, options, plan.Random);
        foreach (var (pod, node) in workload.BoundPods)
        {
            scheduler.AddPod(pod, node);
        }

        var allocated = ArtifactSimulation.AllocatedMilli(state);
        var arrived = allocated;
        var curve = new AllocationCurve(plan.GpuCapacityMilli);
        int placed = 0, noFit = 0, rejected = 0, scored = 0, bindFailures = 0;
        var pods = plan.Pods;
        for (var i = 0; i < pods.Count; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var pod = pods[i];
            arrived += pod.TotalGpuMilli;
            var outcome = Schedule(scheduler, pod, cancellationToken);
            if (outcome.Bound)
            {
                placed++;
                allocated += pod.NeedsGpu ? pod.TotalGpuMilli : 0;
            }
            else if (outcome.InTreeFeasible == 0)
            {
                noFit++;
            }
            else if (outcome.ExtenderFeasible == 0)
            {
                rejected++;
            }
            else
            {
                bindFailures++;
            }

            if (outcome.ExtenderFeasible > 1)
            {
                scored++;
            }

            curve.Record(arrived, allocated);
        }

        return new RunResult
        {
            Policy = scorer.Name,
            Seed = plan.Seed,
            Mode = SimulationMode.Kube,
            Curve = curve,
            ArrivedPods = pods.Count,
            PlacedPods = placed,
            CloneCount = plan.CloneCount,
            FinalAllocatedPercent = 100.0 * allocated / plan.GpuCapacityMilli,
            Elapsed = clock.Elapsed,
            Kube = new KubeRunStats($"{options.Describe()}, mapping {mapping}", noFit, rejected, scored, bindFailures),
        };
    }

    private static KubeScheduleOutcome Schedule(KubeSchedulerEmulator scheduler, PodDemand pod, CancellationToken cancellationToken)
    {
        var task = scheduler.ScheduleAsync(pod, cancellationToken);
        return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }
}
