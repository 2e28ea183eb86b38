namespace Lepton.Simulator.Workloads;

/// <summary>
/// Facts about the openb trace that the built-in synthetic workload draws from. Every number is
/// counted from the public trace (Alibaba <c>cluster-trace-gpu-v2023</c>, the FGD paper's
/// workload: Weng et al., "Beware of Fragmentation", USENIX ATC'23), file named at each table;
/// the product bundles no trace file.
/// </summary>
internal static class OpenbStatistics
{
    /// <summary>A weighted value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="Value">The value.</param>
    /// <param name="Weight">How many trace pods (or nodes) had it.</param>
    internal readonly record struct Weighted<T>(T Value, int Weight);

    /// <summary>Pod shapes: the number of GPUs and whether the pod shares one card.</summary>
    internal enum Shape
    {
        CpuOnly,
        Share,
        Gpu1,
        Gpu2,
        Gpu4,
        Gpu8,
    }

    /// <summary>Per-pod (CPU-only) or per-GPU CPU and memory request.</summary>
    /// <param name="CpuMilli">CPU, milli-cores (per GPU for GPU pods).</param>
    /// <param name="MemoryMiB">Memory, MiB (per GPU for GPU pods).</param>
    internal readonly record struct Request(long CpuMilli, long MemoryMiB);

    /// <summary>A node type of the openb GPU cluster.</summary>
    /// <param name="CpuMilli">Allocatable CPU.</param>
    /// <param name="MemoryMiB">Allocatable memory.</param>
    /// <param name="Gpus">GPU cards.</param>
    /// <param name="Model">GPU model.</param>
    internal readonly record struct NodeType(long CpuMilli, long MemoryMiB, int Gpus, string Model);

    // openb_pod_list_default.csv, 8,152 pods: 1,088 CPU-only; 3,078 sharing one GPU;
    // 3,911 of 1 GPU; 16 of 2; 15 of 4; 44 of 8 (every multi-GPU pod takes whole cards).
    internal static readonly Weighted<Shape>[] Shapes =
    [
        new(Shape.CpuOnly, 1088), new(Shape.Share, 3078), new(Shape.Gpu1, 3911),
        new(Shape.Gpu2, 16), new(Shape.Gpu4, 15), new(Shape.Gpu8, 44),
    ];

    // openb_pod_list_default.csv: gpu_milli of the 3,078 sharing pods (all 20 values).
    internal static readonly Weighted<int>[] ShareMilli =
    [
        new(50, 7), new(110, 24), new(140, 1), new(160, 74), new(220, 62), new(230, 140), new(270, 4),
        new(290, 1), new(320, 328), new(330, 7), new(350, 6), new(370, 47), new(440, 2), new(460, 128),
        new(470, 750), new(480, 19), new(550, 72), new(590, 75), new(650, 253), new(810, 1078),
    ];

    // openb_pod_list_default.csv: (cpu_milli, memory_mib) of CPU-only pods, the classes covering
    // 94% of them (1,026 of 1,088).
    internal static readonly Weighted<Request>[] CpuOnlyRequests =
    [
        new(new(12500, 57344), 364), new(new(32000, 49152), 284), new(new(8000, 30517), 163),
        new(new(15400, 51200), 120), new(new(16500, 51200), 95),
    ];

    // openb_pod_list_default.csv: (cpu_milli, memory_mib) of sharing pods, classes covering 94%
    // (2,892 of 3,078).
    internal static readonly Weighted<Request>[] ShareRequests =
    [
        new(new(3152, 5600), 1122), new(new(11908, 47104), 625), new(new(8000, 30517), 486),
        new(new(4000, 22888), 189), new(new(4000, 15258), 182), new(new(4152, 10600), 152),
        new(new(4000, 30517), 136),
    ];

    // openb_pod_list_default.csv: (cpu_milli, memory_mib) of 1-GPU pods, classes covering 91%
    // (3,543 of 3,911).
    internal static readonly Weighted<Request>[] Gpu1Requests =
    [
        new(new(11300, 49152), 857), new(new(11400, 48128), 534), new(new(3152, 5600), 470),
        new(new(18708, 64512), 255), new(new(9810, 41560), 195), new(new(12000, 24576), 158),
        new(new(15700, 58368), 158), new(new(11908, 47104), 153), new(new(16000, 32768), 108),
        new(new(8000, 16384), 104), new(new(4000, 24576), 104), new(new(12000, 16384), 99),
        new(new(14200, 58368), 93), new(new(24200, 93184), 84), new(new(11400, 77824), 65),
        new(new(8000, 32768), 55), new(new(11900, 77824), 51),
    ];

    // openb_pod_list_default.csv: (cpu_milli, memory_mib) per GPU of the 75 multi-GPU pods,
    // classes covering 70 of them.
    internal static readonly Weighted<Request>[] MultiGpuRequestsPerGpu =
    [
        new(new(11000, 40960), 18), new(new(8025, 32896), 18), new(new(8050, 33024), 9),
        new(new(8100, 33280), 7), new(new(8000, 32768), 6), new(new(15000, 92160), 3),
        new(new(3000, 32768), 3), new(new(15100, 80384), 3), new(new(15050, 80128), 3),
    ];

    // openb_pod_list_gpuspec10.csv: 732 of 7,064 GPU pods (10.4%) name allowed GPU models.
    internal const double ConstrainedGpuPodFraction = 732.0 / 7064.0;

    // openb_pod_list_gpuspec10.csv: the gpu_spec values of those 732 pods (duplicate entries
    // such as V100M16|V100M32|V100M32 merged into their distinct lists).
    internal static readonly Weighted<string>[] ModelConstraints =
    [
        new("T4", 355), new("G2", 120), new("P100", 100), new("V100M16|V100M32", 61),
        new("P100|V100M16|V100M32", 26), new("G2|P100|T4|V100M16|V100M32", 20), new("G3", 17),
        new("A10|G2|T4|V100M16|V100M32", 9), new("P100|V100M16", 6), new("P100|T4|V100M16|V100M32", 5),
        new("V100M16", 4), new("V100M32", 4), new("A10|G2|P100|T4|V100M16|V100M32", 3),
        new("T4|V100M16|V100M32", 1), new("A10|T4", 1),
    ];

    // openb_pod_list_default.csv: qos of the 8,152 pods.
    internal static readonly Weighted<string>[] Qos =
    [
        new("LS", 4647), new("BE", 3398), new("Burstable", 100), new("Guaranteed", 7),
    ];

    // openb_pod_list_default.csv: deletion_time − creation_time in seconds, at these quantiles
    // (median 540 s; mean 25,839 s, carried by a long tail of pods that run for months).
    internal static readonly (double Quantile, double Seconds)[] LifetimeQuantiles =
    [
        (0.00, 1), (0.05, 48), (0.10, 80), (0.20, 146), (0.30, 202), (0.40, 301), (0.50, 540),
        (0.60, 883), (0.70, 1422), (0.80, 2700), (0.90, 6574), (0.95, 16425), (0.98, 40752),
        (0.99, 99719), (0.995, 742962), (1.00, 12537496),
    ];

    // openb_node_list_gpu_node.csv: the 1,213 GPU nodes by type (cpu_milli, memory_mib, gpu, model).
    internal static readonly Weighted<NodeType>[] NodeTypes =
    [
        new(new(96000, 393216, 8, "G2"), 549), new(new(104000, 524288, 2, "T4"), 387),
        new(new(16000, 122880, 2, "P100"), 107), new(new(128000, 786432, 8, "G3"), 39),
        new(new(32000, 131072, 4, "V100M16"), 28), new(new(64000, 262144, 2, "P100"), 22),
        new(new(96000, 786432, 8, "V100M32"), 21), new(new(8000, 32768, 1, "V100M16"), 19),
        new(new(96000, 393216, 4, "T4"), 17), new(new(48000, 376832, 4, "V100M32"), 9),
        new(new(64000, 262144, 8, "V100M16"), 7), new(new(8000, 61440, 1, "P100"), 3),
        new(new(8000, 61440, 2, "P100"), 2), new(new(128000, 1048576, 1, "A10"), 2),
        new(new(82000, 344064, 8, "V100M16"), 1),
    ];

    /// <summary>Draws from a weighted table.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="table">The table.</param>
    /// <param name="random">The random source.</param>
    /// <returns>A value, with probability proportional to its weight.</returns>
    internal static T Draw<T>(Weighted<T>[] table, Random random)
    {
        var total = 0;
        foreach (var w in table)
        {
            total += w.Weight;
        }

        var x = random.Next(total);
        foreach (var w in table)
        {
            if (x < w.Weight)
            {
                return w.Value;
            }

            x -= w.Weight;
        }

        return table[^1].Value;
    }

    /// <summary>Draws a lifetime by inverting the quantile table (log-linear between points).</summary>
    /// <param name="random">The random source.</param>
    /// <param name="cap">Draw below this quantile (1 = the whole distribution).</param>
    /// <returns>Seconds, at least 1.</returns>
    internal static long DrawLifetime(Random random, double cap = 1.0)
    {
        var u = random.NextDouble() * cap;
        var q = LifetimeQuantiles;
        for (var i = 1; i < q.Length; i++)
        {
            if (u <= q[i].Quantile)
            {
                var (q0, s0) = q[i - 1];
                var (q1, s1) = q[i];
                var t = (u - q0) / (q1 - q0);
                return Math.Max(1, (long)Math.Round(Math.Exp(Math.Log(s0) + (t * (Math.Log(s1) - Math.Log(s0))))));
            }
        }

        return (long)q[^1].Seconds;
    }
}
