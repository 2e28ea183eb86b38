using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.Sync;

/// <summary>When failing watches make a replica unready, bound from <c>Lepton:WatchHealth</c>.</summary>
public sealed class WatchHealthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:WatchHealth";

    /// <summary>
    /// How long an informer's list or watch may keep failing (API server gone, every request refused) before
    /// <c>/readyz</c> answers 503: past it, the cache the extender filters with can no longer be trusted.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FailureBound { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the informers are looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
