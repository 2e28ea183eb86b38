namespace Lepton.Cli.Certificates;

/// <summary>Where <c>lepton certs ensure</c> keeps the extender's certificates (one namespace, three Secrets).</summary>
internal sealed record CertificateSecretNames
{
    /// <summary>The namespace of the Secrets.</summary>
    public required string Namespace { get; init; }

    /// <summary>The CA's certificate and key: read only by <c>lepton certs ensure</c>, mounted by no pod.</summary>
    public required string CaSecret { get; init; }

    /// <summary>Lepton's server certificate and key, and <c>ca.crt</c> (the CA client certificates must chain to).</summary>
    public required string ServerSecret { get; init; }

    /// <summary>kube-scheduler's client certificate and key, and <c>ca.crt</c> (the CA the server certificate chains to).</summary>
    public required string ClientSecret { get; init; }
}
