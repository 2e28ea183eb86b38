using System.ComponentModel.DataAnnotations;
using Lepton.Operator.Controllers.Caching;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>Settings of an informer (section <c>Lepton:Informers</c>; named per resource type).</summary>
public sealed class InformerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Informers";

    /// <summary>
    /// Gets or sets the LIST page size (<c>limit</c>). 100, not client-go's 500: a page's JSON is held while its items
    /// are read, and with 500 realistic pods a page is ~4.5 MB of large-object buffers; measured on 5,000 nodes and
    /// 50,000 pods, pages of 100 took the process peak from 555 to 404 MiB (docs/PERFORMANCE.md, issue 13).
    /// </summary>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets the shortest server-side watch timeout; each watch asks for a random one in
    /// [this, 2 × this) so that replicas do not reconnect in step (client-go's <c>minWatchTimeout</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long past its server-side timeout a silent watch is abandoned by the client.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan WatchTimeoutGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the first reconnect delay after an error (client-go: 800 ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Gets or sets the largest reconnect delay (client-go: 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the jitter factor: a delay d becomes d × (1 + factor × random), capped at <see cref="MaxBackoff"/>.</summary>
    [Range(0.0, 10.0)]
    public double BackoffJitter { get; set; } = 1.0;

    /// <summary>Gets or sets a value indicating whether <c>metadata.managedFields</c> is dropped before caching.</summary>
    public bool StripManagedFields { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether well-known types are slimmed before caching: pods by
    /// <see cref="CacheTransforms.SlimPod"/> (no env, command, volumes...) and <see cref="CacheTransforms.SlimPodStatus"/>
    /// (no container statuses, IPs, security contexts...), nodes by
    /// <see cref="CacheTransforms.StripNodeImages"/>. Turn off for a consumer that needs those fields.
    /// </summary>
    public bool SlimWellKnownTypes { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether equal strings and quantities of cached objects share one instance (see <see cref="CacheTransforms.Deduplicate{T}"/>).</summary>
    public bool DeduplicateStrings { get; set; } = true;

    /// <summary>Gets or sets the size of the deduplication pool (cleared when full).</summary>
    [Range(1_024, 10_000_000)]
    public int StringPoolCapacity { get; set; } = 65_536;

    /// <summary>Gets the annotations dropped before caching.</summary>
    public IList<string> StrippedAnnotations { get; } = [CacheTransforms.LastAppliedConfiguration];

    /// <summary>Gets or sets the one namespace to watch; null for all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>Gets or sets an optional label selector.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Gets or sets an optional field selector.</summary>
    public string? FieldSelector { get; set; }

    /// <summary>Gets or sets the source of jitter in [0, 1); null uses a shared random source. Inject a fixed one in tests.</summary>
    public Func<double>? Randomizer { get; set; }
}
