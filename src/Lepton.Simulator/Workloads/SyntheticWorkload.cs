using System.Globalization;
using Lepton.Scheduling.Inventory;
using static Lepton.Simulator.Workloads.OpenbStatistics;

namespace Lepton.Simulator.Workloads;

/// <summary>
/// The built-in workload, so <c>lepton simulate</c> runs with no data at hand: a heterogeneous
/// cluster with openb's node mix, scaled down, and a seeded synthetic pod list whose shapes,
/// shares, CPU and memory per GPU, model constraints, QoS and lifetimes follow the openb trace's
/// statistics (<see cref="OpenbStatistics"/>). Pods arrive as a Poisson process whose rate offers
/// the cluster <see cref="SyntheticWorkloadOptions.OfferedLoad"/> of its GPUs on average, so the
/// timeline mode has queueing to show.
/// </summary>
public static class SyntheticWorkload
{
    /// <summary>The seed of the built-in workload (the run seeds then vary arrivals as for a trace).</summary>
    public const int DefaultSeed = 2023;

    /// <summary>Creates the workload.</summary>
    /// <param name="options">Sizes and seed; defaults when null.</param>
    /// <returns>The workload, named <c>builtin</c>.</returns>
    public static Workload Create(SyntheticWorkloadOptions? options = null)
    {
        options ??= new SyntheticWorkloadOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ClusterScale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PodsPerCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.OfferedLoad);
        var random = new Random(options.Seed);
        var nodes = CreateNodes(options.ClusterScale, options.NodeCount);
        var catalog = GpuModelCatalog.Empty;
        long capacity = 0;
        foreach (var n in nodes)
        {
            capacity += n.GpuMilliCapacity;
        }

        var cap = Math.Clamp(options.LifetimeQuantileCap, 0.01, 1.0);
        var result = new List<WorkloadPod>();
        if (options.DurationSeconds > 0)
        {
            // Poisson arrivals at rate λ = load · capacity / E[gpu · lifetime] (Little's law),
            // E estimated from a separate sample so the workload's own draws stay independent.
            var sample = new Random(options.Seed + 1);
            double gpuSeconds = 0;
            const int samples = 20_000;
            for (var i = 0; i < samples; i++)
            {
                gpuSeconds += (double)DrawPod(0, sample, catalog).TotalGpuMilli * DrawLifetime(sample, cap);
            }

            var gap = gpuSeconds / samples / (options.OfferedLoad * capacity);
            for (double clock = 0; clock < options.DurationSeconds; clock += -Math.Log(1 - random.NextDouble()) * gap)
            {
                var pod = DrawPod(result.Count, random, catalog);
                var created = (long)clock;
                result.Add(new WorkloadPod(pod, created, created + DrawLifetime(random, cap)));
            }
        }
        else
        {
            // Pods until their GPU demand reaches PodsPerCapacity of the cluster, as the openb
            // lists do (98.0% for the default list), or exactly PodCount pods.
            var target = (long)(options.PodsPerCapacity * capacity);
            var pods = new List<(PodDemand Pod, long Life)>();
            long demand = 0;
            while (options.PodCount > 0 ? pods.Count < options.PodCount : demand < target)
            {
                var pod = DrawPod(pods.Count, random, catalog);
                demand += pod.TotalGpuMilli;
                pods.Add((pod, DrawLifetime(random, cap)));
            }

            // Poisson arrivals at the rate that offers OfferedLoad of the GPUs on average.
            double gpuSeconds = 0;
            foreach (var (pod, life) in pods)
            {
                gpuSeconds += (double)pod.TotalGpuMilli * life;
            }

            var gap = Math.Max(1, gpuSeconds / Math.Max(1, pods.Count)) / (options.OfferedLoad * capacity);
            double clock = 0;
            foreach (var (pod, life) in pods)
            {
                var created = (long)clock;
                result.Add(new WorkloadPod(pod, created, created + life));
                clock += -Math.Log(1 - random.NextDouble()) * gap;
            }
        }

        return new Workload
        {
            Name = options.DurationSeconds > 0 ? "builtin-timeline" : "builtin",
            Source = WorkloadSource.Synthetic,
            Nodes = nodes,
            Pods = result,
            Origin = string.Create(CultureInfo.InvariantCulture, $"built-in synthetic workload (openb statistics, seed {options.Seed}, {nodes.Count} nodes, {result.Count} pods)"),
        };
    }

    /// <summary>The built-in cluster: openb's node types, each count scaled and rounded (at least one of each).</summary>
    /// <param name="scale">The fraction of the openb cluster (1 = 1,213 nodes).</param>
    /// <param name="nodeCount">When positive, the node types are repeated in proportion until exactly this many nodes exist.</param>
    /// <returns>The nodes.</returns>
    public static IReadOnlyList<NodeInventory> CreateNodes(double scale, int nodeCount = 0)
    {
        var nodes = new List<NodeInventory>();
        var total = 0;
        foreach (var t in NodeTypes)
        {
            total += t.Weight;
        }

        for (var k = 0; k < NodeTypes.Length; k++)
        {
            var (type, weight) = (NodeTypes[k].Value, NodeTypes[k].Weight);
            var count = nodeCount > 0
                ? (int)Math.Round((double)weight * nodeCount / total)
                : Math.Max(1, (int)Math.Round(weight * scale));
            for (var i = 0; i < count; i++)
            {
                nodes.Add(Node(type, nodes.Count));
            }
        }

        // Exact count for large synthetic clusters: trim or pad with the most common type.
        if (nodeCount > 0)
        {
            while (nodes.Count > nodeCount)
            {
                nodes.RemoveAt(nodes.Count - 1);
            }

            while (nodes.Count < nodeCount)
            {
                nodes.Add(Node(NodeTypes[0].Value, nodes.Count));
            }
        }

        return nodes;
    }

    private static NodeInventory Node(NodeType type, int index) => new()
    {
        Name = string.Create(CultureInfo.InvariantCulture, $"sim-{type.Model.ToLowerInvariant()}-{type.Gpus}x-{index:D5}"),
        CpuMilli = type.CpuMilli,
        MemoryBytes = type.MemoryMiB * 1024 * 1024,
        MaxPods = OpenbCsv.ArtifactMaxPods,
        GpuCards = type.Gpus,
        GpuModel = type.Model,
    };

    private static PodDemand DrawPod(int index, Random random, GpuModelCatalog catalog)
    {
        var shape = Draw(Shapes, random);
        var (count, milli, request) = shape switch
        {
            Shape.CpuOnly => (0, 0, Draw(CpuOnlyRequests, random)),
            Shape.Share => (1, Draw(ShareMilli, random), Draw(ShareRequests, random)),
            Shape.Gpu1 => (1, 1000, Draw(Gpu1Requests, random)),
            Shape.Gpu2 => (2, 1000, Draw(MultiGpuRequestsPerGpu, random)),
            Shape.Gpu4 => (4, 1000, Draw(MultiGpuRequestsPerGpu, random)),
            _ => (8, 1000, Draw(MultiGpuRequestsPerGpu, random)),
        };
        var perPod = Math.Max(count, 1);
        var models = count > 0 && random.NextDouble() < ConstrainedGpuPodFraction
            ? catalog.NormalizeList(Draw(ModelConstraints, random))
            : [];
        var qos = Draw(Qos, random);
        var name = string.Create(CultureInfo.InvariantCulture, $"sim-pod-{index:D6}");
        return new PodDemand
        {
            Uid = name,
            Namespace = "builtin",
            Name = name,
            CpuMilli = request.CpuMilli * perPod,
            MemoryBytes = request.MemoryMiB * perPod * 1024 * 1024,
            GpuCount = count,
            GpuMilli = milli,
            GpuModels = [.. models],
            QosClass = qos,
            Priority = OpenbCsv.PriorityOf(qos),
        };
    }
}
