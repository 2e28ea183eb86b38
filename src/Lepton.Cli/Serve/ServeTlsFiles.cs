namespace Lepton.Cli.Serve;

/// <summary>The files and pinned client identity of the extender port's mutual TLS.</summary>
/// <param name="CertificateFile">The server certificate (PEM, <c>--tls-cert-file</c>).</param>
/// <param name="KeyFile">Its private key (PEM, <c>--tls-key-file</c>).</param>
/// <param name="ClientCaFile">The CA client certificates must chain to (PEM, <c>--tls-client-ca-file</c>).</param>
/// <param name="ClientIdentity">The DNS SAN a client certificate must carry (<c>--tls-client-identity</c>).</param>
internal sealed record ServeTlsFiles(string CertificateFile, string KeyFile, string ClientCaFile, string ClientIdentity);
