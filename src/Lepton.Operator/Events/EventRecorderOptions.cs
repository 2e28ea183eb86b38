using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.Events;

/// <summary>
/// How the operator's <see cref="EventRecorder"/> deduplicates and rate-limits Events, bound from
/// <c>Lepton:Events</c>. The defaults are client-go's: an event seen again within six minutes becomes a series
/// (count and last observed time) on the first one, and each object gets a token bucket of 25 events refilled
/// one every five minutes.
/// </summary>
public sealed class EventRecorderOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Events";

    /// <summary>How long after its last occurrence an identical event (same object, type, reason, action, related object and note) still counts as a repeat.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SeriesWindow { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>How many events (creates and series updates) one object may get in a burst.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 25;

    /// <summary>How often an object's bucket gains one event back.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RefillInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most series and buckets remembered; beyond it the least recently seen are forgotten.</summary>
    [Range(16, 1_000_000)]
    public int MaxTracked { get; set; } = 4096;
}
