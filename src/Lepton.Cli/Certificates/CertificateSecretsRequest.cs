namespace Lepton.Cli.Certificates;

/// <summary>What <see cref="CertificateSecrets.EnsureAsync"/> creates when a Secret is missing.</summary>
internal sealed record CertificateSecretsRequest
{
    /// <summary>The Secrets' names and namespace.</summary>
    public required CertificateSecretNames Names { get; init; }

    /// <summary>The server certificate's DNS names (the extender Service's names).</summary>
    public required IReadOnlyList<string> ServerDnsNames { get; init; }

    /// <summary>The client certificate's DNS SAN, the identity Lepton pins (default <c>lepton-scheduler</c>).</summary>
    public string ClientIdentity { get; init; } = TlsDefaults.ClientIdentity;

    /// <summary>How long the CA is valid.</summary>
    public TimeSpan CaValidity { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>How long the server and client certificates are valid (never past the CA).</summary>
    public TimeSpan LeafValidity { get; init; } = TimeSpan.FromDays(3650);
}
