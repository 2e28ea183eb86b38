namespace Lepton.Cli.Certificates;

/// <summary>What <see cref="CertificateSecrets.EnsureAsync"/> did with one Secret.</summary>
internal enum SecretOutcome
{
    /// <summary>It existed and was kept as it is (never overwritten).</summary>
    Kept,

    /// <summary>This call created it.</summary>
    Created,

    /// <summary>Another caller created it between this call's read and create (409); its content is used.</summary>
    CreatedByAnother,
}
