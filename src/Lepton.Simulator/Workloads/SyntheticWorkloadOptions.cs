namespace Lepton.Simulator.Workloads;

/// <summary>Sizes of the built-in synthetic workload.</summary>
public sealed class SyntheticWorkloadOptions
{
    /// <summary>The workload seed.</summary>
    public int Seed { get; set; } = SyntheticWorkload.DefaultSeed;

    /// <summary>The fraction of openb's 1,213-node cluster to build (default 0.25: about 300 nodes, 1,550 GPUs).</summary>
    public double ClusterScale { get; set; } = 0.25;

    /// <summary>When positive, exactly this many nodes (openb's node mix), overriding <see cref="ClusterScale"/>.</summary>
    public int NodeCount { get; set; }

    /// <summary>Pods are drawn until their GPU demand reaches this fraction of the cluster's GPUs (openb's default list: 0.98).</summary>
    public double PodsPerCapacity { get; set; } = 0.98;

    /// <summary>When positive, exactly this many pods are drawn, overriding <see cref="PodsPerCapacity"/>.</summary>
    public int PodCount { get; set; }

    /// <summary>The arrival rate offers this fraction of the GPUs on average (timeline mode).</summary>
    public double OfferedLoad { get; set; } = 1.0;

    /// <summary>
    /// When positive, pods arrive for this many seconds (as many as the arrival rate gives)
    /// instead of until <see cref="PodsPerCapacity"/> is reached: the timeline mode's workload.
    /// </summary>
    public long DurationSeconds { get; set; }

    /// <summary>
    /// Lifetimes are drawn below this quantile of openb's lifetime distribution (1 = all of it;
    /// the top 1% runs for months, longer than any replay).
    /// </summary>
    public double LifetimeQuantileCap { get; set; } = 1.0;

    /// <summary>
    /// The built-in workload for the timeline mode: twelve hours of arrivals offering 95% of the
    /// GPUs, lifetimes below openb's 95th percentile (4.6 h, so the cluster reaches a steady state
    /// within the replay), on the same cluster.
    /// </summary>
    /// <returns>The options.</returns>
    public static SyntheticWorkloadOptions Timeline() => new()
    {
        DurationSeconds = 43_200,
        OfferedLoad = 0.95,
        LifetimeQuantileCap = 0.95,
    };
}
