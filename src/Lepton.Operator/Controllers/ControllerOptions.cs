using System.ComponentModel.DataAnnotations;
using Lepton.Operator.Controllers.Queue;

namespace Lepton.Operator.Controllers;

/// <summary>
/// Settings of one controller: named options, one instance per controller name, bound from
/// <c>Lepton:Controllers:{name}</c> (see <see cref="SectionFor"/>) and validated on start. A name no controller
/// registered gets the defaults below.
/// </summary>
public sealed class ControllerOptions
{
    /// <summary>The configuration section whose children are the controllers' sections, one per controller name.</summary>
    public const string SectionName = "Lepton:Controllers";

    /// <summary>Gets or sets the number of concurrent reconcile workers (one key is still never reconciled twice at once).</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = 1;

    /// <summary>
    /// Gets or sets how often every cached primary object that passes the controller's event filter is
    /// enqueued again (client-go's resync), measured on the injected clock; null (the default) never resyncs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? ResyncPeriod { get; set; }

    /// <summary>Gets or sets how the work queue paces retries.</summary>
    [Required]
    public WorkQueueRateLimiterOptions RateLimiter { get; set; } = new();

    /// <summary>Gets the configuration section of the controller named <paramref name="controllerName"/>.</summary>
    /// <param name="controllerName">The controller name.</param>
    /// <returns><c>Lepton:Controllers:{controllerName}</c>.</returns>
    public static string SectionFor(string controllerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(controllerName);
        return $"{SectionName}:{controllerName}";
    }
}
