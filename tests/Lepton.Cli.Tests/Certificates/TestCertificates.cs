using System.Security.Cryptography.X509Certificates;
using Lepton.Cli.Certificates;
using Lepton.Cli.Commands;
using Lepton.Testing;

namespace Lepton.Cli.Tests.Certificates;

/// <summary>
/// The chart's generated certificates, written to a temporary folder: the files a Lepton pod mounts from its server
/// Secret and those kube-scheduler mounts from its client Secret, all from <see cref="CertificateAuthority"/>.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    public TestCertificates()
    {
        Ca = CertificateAuthority.Create("lepton-ca", Validity, TimeProvider.System);
        ServerDnsNames = CertsCommand.ServiceDnsNames("lepton", "lepton-system", "cluster.local", []);
        var server = Ca.IssueServer(ServerDnsNames, Validity);
        ServerCertificateFile = Directory.File("tls.crt", server.CertificatePem);
        ServerKeyFile = Directory.File("tls.key", server.KeyPem);
        CaFile = Directory.File("ca.crt", Ca.Pair.CertificatePem);
    }

    public TempDirectory Directory { get; } = new();

    public CertificateAuthority Ca { get; }

    public IReadOnlyList<string> ServerDnsNames { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    public string CaFile { get; }

    /// <summary>A client certificate of <paramref name="ca"/> (default: the chart's CA) for <paramref name="identity"/>.</summary>
    public X509Certificate2 Client(string identity, CertificateAuthority? ca = null)
    {
        var pair = (ca ?? Ca).IssueClient(identity, Validity);
        using var pem = X509Certificate2.CreateFromPem(pair.CertificatePem, pair.KeyPem);
        // A PKCS#12 round trip gives the key a form every platform's TLS stack can sign the handshake with.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Directory.Dispose();
}
