using System.ComponentModel.DataAnnotations;
using Lepton.Scheduling.Resources;

namespace Lepton.Operator;

/// <summary>
/// Settings of Lepton's reconcilers (section <c>Lepton:Operator</c>): how LeptonJob pods are built, how
/// failed replicas are restarted, how gangs are admitted, and how the cluster state is kept.
/// </summary>
public sealed class OperatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Operator";

    /// <summary>Gets or sets the <c>spec.schedulerName</c> of every LeptonJob pod (DECISIONS.md 1).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string SchedulerName { get; set; } = "lepton-scheduler";

    /// <summary>
    /// Gets or sets the extended resource whole GPUs are requested as, unless the template's first container
    /// already names a GPU resource (then that one is used, e.g. <c>amd.com/gpu</c>).
    /// </summary>
    [Required]
    public string GpuResource { get; set; } = ResourceNames.NvidiaGpu;

    /// <summary>
    /// Gets or sets the resource a fractional replica requests one device of (the node's shared GPU resource:
    /// NVIDIA time-slicing or MPS replicas, DECISIONS.md 11), unless the template names a GPU resource.
    /// </summary>
    [Required]
    public string SharedGpuResource { get; set; } = ResourceNames.NvidiaGpu;

    /// <summary>Gets or sets the <c>MASTER_PORT</c> given to multi-replica Training pods.</summary>
    [Range(1, 65535)]
    public int MasterPort { get; set; } = 29500;

    /// <summary>Gets or sets the cluster DNS domain used in <c>MASTER_ADDR</c> (<c>replica-0.job.ns.svc.&lt;domain&gt;</c>).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// Gets or sets how many failed pods a job with <c>restartPolicy: OnFailure</c> may have in total before it
    /// fails (Kubernetes Job's <c>backoffLimit</c>); each failed pod is replaced by a new attempt until then.
    /// </summary>
    [Range(0, 1000)]
    public int MaxRestarts { get; set; } = 3;

    /// <summary>
    /// Gets or sets how long an admitted gang may take until every admitted member is bound; after that the
    /// leader deletes the batch (bound members too: no partial gang runs), releases its reservations, and the
    /// job reconciler recreates the members gated (DECISIONS.md 9).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GangTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often a gang that does not fit is tried again (besides every node change and freed pod).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GangRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether a gang without room may evict lower-priority whole gangs and pods
    /// through the Eviction API (dry run of every victim first; all or nothing; see docs/OPERATOR.md). On by default.
    /// </summary>
    public bool GangPreemption { get; set; } = true;

    /// <summary>
    /// Gets or sets how many waiting gangs ahead of a gang in admission order (priority, then creation time) are
    /// placed first on the what-if state before the gang itself, so that room goes to them first. Bounds the cost
    /// of each admission with many gangs waiting.
    /// </summary>
    [Range(0, 1000)]
    public int GangAdmissionLookahead { get; set; } = 16;

    /// <summary>
    /// Gets or sets how waiting gangs of one priority are ordered for admission. <see cref="Gangs.GangQueueOrder.Fifo"/>
    /// by default: shortest-predicted-first is built and measured (docs/SIMULATOR.md 6.2) but the shipped predictor
    /// does not yet reach the gain that would make it the default.
    /// </summary>
    public Gangs.GangQueueOrder QueueOrder { get; set; } = Gangs.GangQueueOrder.Fifo;

    /// <summary>
    /// Gets or sets the least wait after which the starvation guard promotes a gang under
    /// <see cref="Gangs.GangQueueOrder.SjfPredicted"/> (the core's <c>StarvationGuard</c>; default a week, as measured).
    /// </summary>
    public TimeSpan StarvationBound { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets how many of its predicted durations a gang waits at most, beyond <see cref="StarvationBound"/>,
    /// before the guard promotes it.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double StarvationMultiple { get; set; } = 8;

    /// <summary>
    /// Gets or sets a value indicating whether reserved-but-unbound gang members are also assumed in the cluster
    /// state that the extender filters with, so that pods outside any gang cannot take reserved room (on by default;
    /// the extender fits a member to its reserved node as if its own reserved room were free, see docs/OPERATOR.md).
    /// Gang admission always counts reservations, whatever this says.
    /// </summary>
    public bool AccountReservationsInClusterState { get; set; } = true;

    /// <summary>Gets or sets how often assumptions that the cluster did not confirm are forgotten (<c>ClusterState.ForgetExpired</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ForgetInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the seed of the placement policy's random source in gang admission's what-if placement.</summary>
    public int RandomSeed { get; set; } = 42;

    /// <summary>
    /// This replica's own pod (the chart sets it from the downward API,
    /// <c>Lepton__Operator__PodName</c>): the leader labels it <see cref="LeaderLabel"/> so that
    /// the extender Service selects it alone (DECISIONS.md 19). Unset: nothing is labelled.
    /// </summary>
    public string? PodName { get; set; }

    /// <summary>The namespace of <see cref="PodName"/> (<c>Lepton__Operator__PodNamespace</c>).</summary>
    public string? PodNamespace { get; set; }

    /// <summary>The label the leader puts on its own pod, with the value <c>leader</c>.</summary>
    public const string LeaderLabel = "lepton.ai/role";
}
