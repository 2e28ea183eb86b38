using System.ComponentModel.DataAnnotations;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;

namespace Lepton.Extender;

/// <summary>Options of the extender (<c>Lepton:Extender</c>), bound and validated at start.</summary>
public sealed class ExtenderOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Lepton:Extender";

    /// <summary>The default request body limit, 64 MiB.</summary>
    public const long DefaultMaxRequestBytes = 64L * 1024 * 1024;

    /// <summary>The placement policy that prioritize scores with (DECISIONS.md 14).</summary>
    [Required]
    public string Policy { get; set; } = FgdScorer.PolicyName;

    /// <summary>
    /// How prioritize maps the policy's scores 0..100 to kube-scheduler's 0..10 (DECISIONS.md 3):
    /// <see cref="ScoreMapping.StableRank"/> (the default, to be used with extender
    /// weight 25); the other <see cref="Scheduling.Scoring.ScoreMapping"/> values are there to compare against it.
    /// </summary>
    public ScoreMapping ScoreMapping { get; set; } = ScoreMapping.StableRank;

    /// <summary>
    /// The path the verbs live under: empty for <c>/filter</c>, or for example <c>/lepton</c> for
    /// <c>/lepton/filter</c>. Must start with <c>/</c> and not end with one.
    /// </summary>
    [RegularExpression("^(/[A-Za-z0-9._~-]+)*$", ErrorMessage = "PathPrefix must be empty or like /lepton (no trailing slash).")]
    public string PathPrefix { get; set; } = string.Empty;

    /// <summary>Requests with a larger body are refused with 413.</summary>
    [Range(typeof(long), "1024", "1073741824")]
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>The default <see cref="MaxNodeNames"/>: 20 times the 5,000 nodes Kubernetes supports.</summary>
    public const int DefaultMaxNodeNames = 100_000;

    /// <summary>The default <see cref="MaxVictims"/>: 110 pods on each of 10,000 candidate nodes, rounded up.</summary>
    public const int DefaultMaxVictims = 1_000_000;

    /// <summary>
    /// The most candidate nodes one request may carry (<c>NodeNames</c>, <c>Nodes.items</c>, or the
    /// nodes of a preempt request's victim map); more are refused with 413 while the body is read.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxNodeNames { get; set; } = DefaultMaxNodeNames;

    /// <summary>The most victims one preempt request may offer over all its nodes; more are refused with 413.</summary>
    [Range(1, 100_000_000)]
    public int MaxVictims { get; set; } = DefaultMaxVictims;

    /// <summary>
    /// The request's deadline (kube-scheduler gives up after 5 s): reading the body counts against
    /// it; a body not read by then is answered 408, and a request whose work is not done by then
    /// gets the verb's degraded answer (filter and bind <c>Error</c>, prioritize all 0, preempt
    /// unchanged), written with a token of its own.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(4.5);

    /// <summary>
    /// A <c>kubectl get nodes,pods -A -o json</c> file to load the cluster state from (no API
    /// server); the extender is ready once it is loaded.
    /// </summary>
    public string? ClusterStateFile { get; set; }

    /// <summary>
    /// How many recent pods the cluster state must hold before the FGD typical-task mix is built
    /// from them; below it the built-in mix is used (DECISIONS.md 13).
    /// </summary>
    [Range(1, 10_000_000)]
    public int MinRecentPodsForMix { get; set; } = 500;

    /// <summary>The popularity threshold of the live typical-task mix (0.95 as in the FGD artifact).</summary>
    [Range(0.01, 1.0)]
    public double MixCoverage { get; set; } = 0.95;

    /// <summary>How often the typical-task mix is rebuilt from the cluster state.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MixRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The seed of the scoring random source (the Random policy and random tie-breaks).</summary>
    public int RandomSeed { get; set; } = 42;

    /// <summary>How long the parse cache keeps a pod filter or prioritize mapped (bind never reads it; DECISIONS.md 19).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PendingPodTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many pods the parse cache keeps at most (oldest dropped first).</summary>
    [Range(1, 10_000_000)]
    public int PendingPodCapacity { get; set; } = 10_000;
}
