namespace Lepton.Cli.Certificates;

/// <summary>The outcome of <see cref="CertificateSecrets.EnsureAsync"/>.</summary>
/// <param name="Ca">The CA Secret.</param>
/// <param name="Server">The server Secret.</param>
/// <param name="Client">The client Secret.</param>
/// <param name="Warnings">Inconsistencies found in Secrets that were kept (never repaired by overwriting).</param>
internal sealed record CertificateSecretsResult(SecretOutcome Ca, SecretOutcome Server, SecretOutcome Client, IReadOnlyList<string> Warnings);
