using System.Diagnostics;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Timeline;

/// <summary>
/// Replays a trace's creation and deletion times. An arriving pod is placed at once if a node
/// fits it, else it waits; when pods depart, the waiting pods are retried in queue order
/// (<see cref="QueueOrder"/>). A placed pod runs for its trace lifetime (deletion − creation),
/// so waiting delays its departure. Placement is the artifact's (policy score, node-priority
/// tie-break), the seed choosing the node priority.
/// </summary>
public static class TimelineSimulation
{
    private const int SeriesPoints = 400;

    /// <summary>Runs one policy on one seed.</summary>
    /// <param name="workload">The workload; every pod must have a creation time.</param>
    /// <param name="plan">The seed's plan (its node priority and random stream are used; its pod order is not).</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="fragmentation">The typical-task mix.</param>
    /// <param name="order">The queue order.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">The workload has no times.</exception>
    public static RunResult Run(Workload workload, ArrivalPlan plan, NodeScorer scorer, FragmentationModel fragmentation, QueueOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scorer);
        if (!workload.HasTimes)
        {
            throw new InvalidOperationException(NoTimesMessage(workload));
        }

        var clock = Stopwatch.StartNew();
        var state = ArtifactSimulation.CreateState(workload, plan);
        var context = new ScoringContext(fragmentation, state.Scale, plan.Random);
        var placer = new PolicyPlacer(state, scorer, context) { AllocatedMilli = ArtifactSimulation.AllocatedMilli(state) };
        var capacity = (double)plan.GpuCapacityMilli;

        // Arrivals by creation time, ties by name (a stable, seed-independent order).
        var arrivals = workload.Pods.ToArray();
        Array.Sort(arrivals, static (a, b) =>
        {
            var c = a.CreatedAtSeconds!.Value.CompareTo(b.CreatedAtSeconds!.Value);
            return c != 0 ? c : string.CompareOrdinal(a.Pod.Name, b.Pod.Name);
        });
        var origin = arrivals[0].CreatedAtSeconds!.Value;
        var lastArrival = arrivals[^1].CreatedAtSeconds!.Value;
        var departures = new PriorityQueue<WorkloadPod, (long Time, long Seq)>();
        var waiting = new WaitingQueue(order);
        var waits = new List<double>(arrivals.Length);
        var series = new List<(double Seconds, double Pct)>();
        var freed = new HashSet<int>();
        long seq = 0;
        double weighted = 0, peak = 0;
        var lastTime = origin;
        var waited = 0;
        var now = origin;

        void Record(long t)
        {
            var pct = 100.0 * placer.AllocatedMilli / capacity;
            if (lastTime < lastArrival && series.Count > 0)
            {
                weighted += (Math.Min(t, lastArrival) - lastTime) * series[^1].Pct;
            }

            lastTime = t;
            peak = Math.Max(peak, pct);
            if (series.Count > 0 && series[^1].Seconds == t - origin)
            {
                series[^1] = (t - origin, pct);
            }
            else
            {
                series.Add((t - origin, pct));
            }
        }

        bool TryPlace(WorkloadPod p)
        {
            if (placer.TryPlace(p.Pod) is null)
            {
                return false;
            }

            var wait = now - p.CreatedAtSeconds!.Value;
            waits.Add(wait);
            if (wait > 0)
            {
                waited++;
            }

            if (p.RunSeconds is { } run)
            {
                departures.Enqueue(p, (now + run, seq++));
            }

            return true;
        }

        // A waiting pod fit no node when it last tried, and since then only the nodes that pods
        // left have grown (placements only shrink nodes): it can fit now only on one of those.
        bool MayFit(PodDemand pod) => placer.FitsAny(pod, freed);

        var next = 0;
        var processed = 0;
        while (next < arrivals.Length || departures.Count > 0)
        {
            if ((++processed & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var ta = next < arrivals.Length ? arrivals[next].CreatedAtSeconds!.Value : long.MaxValue;
            var td = departures.TryPeek(out _, out var key) ? key.Time : long.MaxValue;
            if (td <= ta)
            {
                // Every departure at this instant, then one retry pass over the queue.
                now = td;
                freed.Clear();
                while (departures.TryPeek(out var gone, out var k) && k.Time == td)
                {
                    departures.Dequeue();
                    var slot = placer.Remove(gone.Pod);
                    if (slot >= 0)
                    {
                        freed.Add(slot);
                    }
                }

                if (freed.Count > 0)
                {
                    waiting.Retry(MayFit, TryPlace);
                }

                Record(td);
            }
            else
            {
                now = ta;
                var p = arrivals[next++];
                if (!TryPlace(p))
                {
                    waiting.Add(p);
                }

                Record(ta);
            }
        }

        waits.Sort();
        var stats = new TimelineRunStats(
            waits.Count == 0 ? 0 : waits.Average(),
            Percentile(waits, 0.95),
            waits.Count == 0 ? 0 : waits[^1],
            waited,
            waiting.Count,
            lastArrival > origin ? weighted / (lastArrival - origin) : 0,
            peak,
            Downsample(series));
        return new RunResult
        {
            Policy = scorer.Name,
            Seed = plan.Seed,
            Mode = SimulationMode.Timeline,
            ArrivedPods = arrivals.Length,
            PlacedPods = waits.Count,
            FinalAllocatedPercent = 100.0 * placer.AllocatedMilli / capacity,
            Elapsed = clock.Elapsed,
            Timeline = stats,
        };
    }

    /// <summary>The refusal for a workload without times (the <c>multigpu*</c> openb lists).</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The message.</returns>
    public static string NoTimesMessage(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return $"the timeline mode replays creation and deletion times, and workload '{workload.Name}' has none " +
            "(its pod list lacks creation_time/deletion_time, as the openb multigpu* lists do); use --mode artifact or kube, or a pod list with times";
    }

    private static double Percentile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static List<(double, double)> Downsample(List<(double Seconds, double Pct)> series)
    {
        if (series.Count <= SeriesPoints)
        {
            return series;
        }

        // The value in force at evenly spaced instants.
        var end = series[^1].Seconds;
        var result = new List<(double, double)>(SeriesPoints + 1);
        var j = 0;
        for (var k = 0; k <= SeriesPoints; k++)
        {
            var t = end * k / SeriesPoints;
            while (j + 1 < series.Count && series[j + 1].Seconds <= t)
            {
                j++;
            }

            result.Add((t, series[j].Pct));
        }

        return result;
    }
}
