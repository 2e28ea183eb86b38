namespace Lepton.Cli.Certificates;

/// <summary>A certificate and its private key, both PEM text (what a <c>kubernetes.io/tls</c> Secret holds).</summary>
/// <param name="CertificatePem">The certificate (<c>tls.crt</c>).</param>
/// <param name="KeyPem">The PKCS#8 private key (<c>tls.key</c>).</param>
internal sealed record PemKeyPair(string CertificatePem, string KeyPem);
