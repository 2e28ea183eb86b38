using System.ComponentModel.DataAnnotations;

namespace Lepton.Scheduling.State;

/// <summary>Options of the cluster state.</summary>
public sealed class ClusterStateOptions
{
    /// <summary>How long an assumed placement waits for the cluster's confirmation before it is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AssumeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many recently placed pods are kept for the live typical-task mix (DECISIONS.md 13).</summary>
    [Range(0, 1_000_000)]
    public int RecentPodWindow { get; set; } = 5000;
}
