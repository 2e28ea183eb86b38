using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Settings of the rebalancer (section <c>Lepton:Rebalancer</c>), validated on start
/// (<see cref="RebalancerOptionsValidator"/>). The defaults are safe: the rebalancer runs, plans and
/// reports (logs, events, metrics) but evicts nothing until <see cref="DryRun"/> is set to false.
/// </summary>
public sealed class RebalancerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Rebalancer";

    /// <summary>Gets or sets a value indicating whether the rebalancer loop runs at all (on the leader only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the rebalancer only plans and reports: each planned move is
    /// logged, counted as <c>dry_run</c> and recorded as a <c>Rebalance</c> event on the pod, and nothing is evicted.
    /// </summary>
    public bool DryRun { get; set; } = true;

    /// <summary>Gets or sets the time between two cycles (the first cycle runs one interval after leadership starts).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most pods evicted (or, in dry-run mode, reported) in one cycle.</summary>
    [Range(1, 1000)]
    public int MaxEvictionsPerCycle { get; set; } = 5;

    /// <summary>Gets or sets the most pods evicted from one node in one cycle.</summary>
    [Range(1, 1000)]
    public int MaxEvictionsPerNode { get; set; } = 1;

    /// <summary>Gets or sets the fragmentation F(n), in milli-GPU, from which a node counts as fragmented (a source of moves).</summary>
    [Range(0.0, 1e9)]
    public double MinNodeFragmentationMilli { get; set; } = 250;

    /// <summary>
    /// Gets or sets the least decrease of total cluster fragmentation (Σ F(n), milli-GPU) that one move must
    /// bring to be planned. Moves are planned greedily, largest decrease first.
    /// </summary>
    [Range(0.001, 1e9)]
    public double MinFragmentationReductionMilli { get; set; } = 200;

    /// <summary>Gets or sets how many of the most fragmented nodes are searched for moves in one planning step (bounds the planner's work).</summary>
    [Range(1, 100_000)]
    public int MaxSourceNodes { get; set; } = 32;

    /// <summary>Gets or sets the highest pod priority (<c>spec.priority</c>) the rebalancer may evict; pods above it are never moved.</summary>
    public int MaxPriority { get; set; }

    /// <summary>Gets or sets a value indicating whether pods in <c>kube-system</c> may be moved.</summary>
    public bool IncludeKubeSystem { get; set; }

    /// <summary>
    /// Gets or sets how long a moved workload is left alone: the evicted pod's <c>namespace/name</c> and its
    /// controller's UID (a ReplicaSet's replacement pod has a new name but the same controller) are not moved again
    /// before this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan PodCooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a node that a pod was evicted from is not a source of moves again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan NodeCooldown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how long a pod whose eviction failed (a 500 because several PodDisruptionBudgets match it, a 403
    /// for a negative budget, retries exhausted) is left alone, so a lasting misconfiguration does not produce a
    /// warning every cycle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FailedPodBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets or sets how many recently placed pods the cluster state must hold for the live typical-task mix
    /// (<c>DECISIONS.md</c> 13); with fewer, the fallback mix is used (or, without one, the cycle plans nothing).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinRecentPodsForMix { get; set; } = 200;

    /// <summary>Gets or sets the popularity threshold of the live typical-task mix (0.95 in the FGD artifact).</summary>
    [Range(0.01, 1.0)]
    public double MixCoverage { get; set; } = 0.95;

    /// <summary>
    /// Gets or sets the retries of one eviction after a transport error, an attempt timeout, or a 502/503/504.
    /// A 429 (a PodDisruptionBudget), a 500 (several budgets match), a 403 and a 404 are never retried in place.
    /// </summary>
    [Range(0, 10)]
    public int EvictionRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the base of the jittered exponential backoff between eviction attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan EvictionRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the timeout of one eviction attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan EvictionAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the source of retry jitter in [0, 1); null uses a shared random source. Inject a fixed one in tests.</summary>
    public Func<double>? Randomizer { get; set; }
}
