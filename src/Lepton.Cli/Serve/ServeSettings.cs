namespace Lepton.Cli.Serve;

/// <summary>The flags of <c>lepton serve</c>; null means "not given" (configuration or defaults apply).</summary>
internal sealed record ServeSettings
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://0.0.0.0:8888";

    /// <summary>Addresses to listen on.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The cluster-state file.</summary>
    public string? ClusterStateFile { get; init; }

    /// <summary>The placement policy.</summary>
    public string? Policy { get; init; }

    /// <summary>The request body limit.</summary>
    public long? MaxRequestBytes { get; init; }

    /// <summary>The verbs' path prefix.</summary>
    public string? PathPrefix { get; init; }
}
