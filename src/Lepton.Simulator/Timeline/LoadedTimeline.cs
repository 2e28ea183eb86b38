using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Timeline;

/// <summary>
/// Builds a loaded timeline (DECISIONS 23, <c>--gpus N --load L</c>): a seeded sample of about N GPUs of the node list,
/// and the pod list's arrivals compressed by one factor so that the effective offered load is L. Lifetimes never change.
/// </summary>
/// <remarks>
/// <para><b>Sample.</b> The nodes, sorted by name, are shuffled with <c>new Random(seed)</c>. The first node in that order
/// on which the list's largest pod (most GPUs, then most milli per GPU, CPU, memory, among pods that fit some node of the
/// list) fits when the node is empty is taken first; then nodes are taken in shuffled order until the sample has at least
/// N GPUs. Pods that fit no sampled node even when it is empty are left out (<see cref="LoadedScenario.ExcludedPods"/>).</para>
/// <para><b>Load.</b> With g_i GPUs (milli/1000 × count) and lifetime ℓ_i per pod, the cluster's G GPUs and W the compressed
/// arrival window, L(W) = Σ g_i · min(ℓ_i, W) / (G · W). L(W) falls as W grows, so W is found by bisection, and each
/// creation time t becomes first + (t − first) · W / S, S the trace's arrival window, rounded to whole seconds.</para>
/// </remarks>
public static class LoadedTimeline
{
    /// <summary>Builds one seed's scenario.</summary>
    /// <param name="workload">The workload (every pod with creation and deletion times).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="gpus">The cluster size asked for, GPUs.</param>
    /// <param name="load">The effective offered load.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ArgumentException">The workload or the arguments cannot make the scenario (<see cref="Check"/> says why).</exception>
    public static LoadedScenario Build(Workload workload, int seed, int gpus, double load)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (Check(workload, gpus, load) is { } error)
        {
            throw new ArgumentException(error, nameof(workload));
        }

        var nodes = Sample(workload.Nodes, seed, gpus, Largest(workload));
        var empty = nodes.Select(n => NodeState.Empty(n)).ToArray();
        var kept = new List<WorkloadPod>(workload.Pods.Count);
        foreach (var p in workload.Pods)
        {
            if (empty.Any(n => FitChecker.Check(p.Pod, n) == FitCode.Fits))
            {
                kept.Add(p);
            }
        }

        var capacity = nodes.Sum(n => (long)n.GpuMilliCapacity) / 1000.0;
        var first = kept.Min(p => p.CreatedAtSeconds!.Value);
        var span = kept.Max(p => p.CreatedAtSeconds!.Value) - first;
        var window = Window(kept, capacity, load);
        var factor = span / window;
        var compressed = kept.Select(p =>
        {
            var created = first + (long)Math.Round((p.CreatedAtSeconds!.Value - first) / factor);
            return p with { CreatedAtSeconds = created, DeletedAtSeconds = p.RunSeconds is { } run ? created + run : null };
        }).ToList();
        var sampled = new Workload
        {
            Name = workload.Name,
            Source = workload.Source,
            Nodes = nodes,
            Pods = compressed,
            Origin = workload.Origin,
        };
        return new LoadedScenario(sampled, seed, (int)Math.Round(capacity), Load(kept, capacity, window), window, factor, workload.Pods.Count - kept.Count);
    }

    /// <summary>Why a loaded timeline cannot be built, or null when it can.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="gpus">The cluster size asked for.</param>
    /// <param name="load">The load asked for.</param>
    /// <returns>The message, or null.</returns>
    public static string? Check(Workload workload, int gpus, double load)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (!workload.HasTimes || workload.Pods.Any(p => p.RunSeconds is null))
        {
            return workload.Source == WorkloadSource.ClusterState
                ? "--gpus/--load compress creation times and keep lifetimes, and a --cluster-state file has no lifetimes (pods carry no deletion time); use an openb pod list with creation_time and deletion_time"
                : TimelineSimulation.NoTimesMessage(workload);
        }

        var total = workload.GpuCapacityMilli / 1000.0;
        if (gpus < 1 || gpus > total)
        {
            return $"--gpus {gpus} is not between 1 and the node list's {total:0} GPUs";
        }

        var span = workload.Pods.Max(p => p.CreatedAtSeconds!.Value) - workload.Pods.Min(p => p.CreatedAtSeconds!.Value);
        if (span <= 0)
        {
            return $"workload '{workload.Name}' has every pod created at the same instant: there is no arrival window to compress";
        }

        var demand = workload.Pods.Sum(p => p.Pod.TotalGpuMilli) / 1000.0;
        if (!double.IsFinite(load) || load <= 0 || load >= demand / gpus)
        {
            return $"--load {load} is not above 0 and below {demand / gpus:0.##} (every GPU the list requests, {demand:0}, arriving at once on {gpus} GPUs)";
        }

        return null;
    }

    /// <summary>The effective offered load of pods on a cluster: Σ g·min(ℓ, W) / (G·W), W the arrival window.</summary>
    /// <param name="pods">The pods (with times).</param>
    /// <param name="gpus">The cluster's GPUs.</param>
    /// <returns>The load.</returns>
    public static double OfferedLoad(IReadOnlyList<WorkloadPod> pods, double gpus)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var window = pods.Max(p => p.CreatedAtSeconds!.Value) - pods.Min(p => p.CreatedAtSeconds!.Value);
        return window <= 0 ? double.PositiveInfinity : Load(pods, gpus, window);
    }

    private static double Load(IReadOnlyList<WorkloadPod> pods, double gpus, double window)
    {
        double sum = 0;
        foreach (var p in pods)
        {
            sum += p.Pod.TotalGpuMilli / 1000.0 * Math.Min(p.RunSeconds ?? 0, window);
        }

        return sum / (gpus * window);
    }

    private static double Window(IReadOnlyList<WorkloadPod> pods, double gpus, double load)
    {
        // L(W) is non-increasing in W: bisect on log W.
        double lo = Math.Log(1e-3), hi = Math.Log(1e12);
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (Load(pods, gpus, Math.Exp(mid)) > load)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Math.Exp((lo + hi) / 2);
    }

    private static PodDemand? Largest(Workload workload)
    {
        var empty = workload.Nodes.Select(n => NodeState.Empty(n)).ToArray();
        return workload.Pods.Select(p => p.Pod)
            .OrderByDescending(p => p.GpuCount).ThenByDescending(p => p.GpuMilli).ThenByDescending(p => p.CpuMilli).ThenByDescending(p => p.MemoryBytes)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .FirstOrDefault(p => empty.Any(n => FitChecker.Check(p, n) == FitCode.Fits));
    }

    private static List<NodeInventory> Sample(IReadOnlyList<NodeInventory> all, int seed, int gpus, PodDemand? largest)
    {
        var order = all.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(order);
        var taken = new List<NodeInventory>();
        long milli = 0;
        if (largest is not null && order.FirstOrDefault(n => FitChecker.Check(largest, NodeState.Empty(n)) == FitCode.Fits) is { } host)
        {
            taken.Add(host);
            milli += host.GpuMilliCapacity;
        }

        foreach (var n in order)
        {
            if (milli >= gpus * 1000L)
            {
                break;
            }

            if (!taken.Contains(n))
            {
                taken.Add(n);
                milli += n.GpuMilliCapacity;
            }
        }

        return taken;
    }
}
