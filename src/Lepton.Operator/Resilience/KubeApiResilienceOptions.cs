using System.ComponentModel.DataAnnotations;

namespace Lepton.Operator.Resilience;

/// <summary>Retry and timeout settings for Kubernetes API calls (section <c>Lepton:Resilience</c>).</summary>
public sealed class KubeApiResilienceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Resilience";

    /// <summary>Gets or sets the retries after the first attempt.</summary>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>Gets or sets the base of the exponential backoff (jittered).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the largest delay between attempts (also caps a server's Retry-After).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the timeout of one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the source of jitter in [0, 1); null uses a shared random source. Inject a fixed one in tests.</summary>
    public Func<double>? Randomizer { get; set; }
}
