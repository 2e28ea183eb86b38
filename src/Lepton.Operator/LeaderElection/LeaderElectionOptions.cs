using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.LeaderElection;

/// <summary>
/// Leader election settings (section <c>Lepton:LeaderElection</c>). Durations default to client-go's
/// (15 s / 10 s / 2 s); <see cref="LeaderElectionOptionsValidator"/> checks
/// RetryPeriod &lt; RenewDeadline &lt; LeaseDuration on start.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:LeaderElection";

    /// <summary>Gets or sets a value indicating whether to elect a leader; when false this replica always leads (one replica only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the Lease name.</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string LeaseName { get; set; } = "lepton-operator";

    /// <summary>Gets or sets the Lease namespace (the chart sets the release namespace).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string LeaseNamespace { get; set; } = "lepton-system";

    /// <summary>Gets or sets this replica's identity; null uses the host name (the pod name in Kubernetes).</summary>
    public string? Identity { get; set; }

    /// <summary>Gets or sets how long non-leaders wait, after observing the last change of the Lease, before taking over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how long the leader keeps retrying a failed renewal before it steps down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the pause between attempts to acquire or renew.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the jitter of acquisition retries: a wait is RetryPeriod × (1 + factor × random) (client-go: 1.2).</summary>
    [Range(0.0, 10.0)]
    public double JitterFactor { get; set; } = 1.2;

    /// <summary>Gets or sets a value indicating whether the leader releases the Lease on shutdown, so another replica takes over at once.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    /// <summary>Gets or sets the source of jitter in [0, 1); null uses a shared random source. Inject a fixed one in tests.</summary>
    public Func<double>? Randomizer { get; set; }
}
