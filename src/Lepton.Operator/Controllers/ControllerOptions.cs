using System.ComponentModel.DataAnnotations;
using Lepton.Operator.Controllers.Queue;

namespace Lepton.Operator.Controllers;

/// <summary>Settings of one controller (section <c>Lepton:Controllers</c>, named per controller).</summary>
public sealed class ControllerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Controllers";

    /// <summary>Gets or sets the number of concurrent reconcile workers (one key is still never reconciled twice at once).</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = 1;

    /// <summary>Gets or sets how the work queue paces retries.</summary>
    [Required]
    public WorkQueueRateLimiterOptions RateLimiter { get; set; } = new();
}
