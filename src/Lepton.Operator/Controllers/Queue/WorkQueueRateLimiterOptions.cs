using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.Controllers.Queue;

/// <summary>Retry pacing of a controller's work queue; the defaults are controller-runtime's.</summary>
public sealed class WorkQueueRateLimiterOptions
{
    /// <summary>Gets or sets the per-key delay after the first failure (doubles per failure).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets or sets the largest per-key delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1000);

    /// <summary>Gets or sets the retries per second the global bucket lets through.</summary>
    [Range(0.001, 100_000)]
    public double Qps { get; set; } = 10;

    /// <summary>Gets or sets the global bucket size.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}
