using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lepton.Cli.Certificates;

/// <summary>
/// A small certificate authority for the extender's mutual TLS (DECISIONS.md 21): a self-signed CA that issues
/// Lepton's server certificate and kube-scheduler's client certificate. ECDSA P-256 keys, made with
/// <see cref="CertificateRequest"/> (no packages beyond the BCL).
/// </summary>
internal sealed class CertificateAuthority
{
    /// <summary>Extended key usage OID of TLS server authentication.</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage OID of TLS client authentication.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>How far back a new certificate's validity starts, for clocks a little behind ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;

    private CertificateAuthority(PemKeyPair pair, TimeProvider time)
    {
        Pair = pair;
        _time = time;
    }

    /// <summary>The CA's certificate and key.</summary>
    public PemKeyPair Pair { get; }

    /// <summary>Creates a new self-signed CA.</summary>
    /// <param name="commonName">The CA's subject common name.</param>
    /// <param name="validity">How long the CA is valid.</param>
    /// <param name="time">The clock.</param>
    /// <returns>The CA.</returns>
    public static CertificateAuthority Create(string commonName, TimeSpan validity, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + validity);
        return new CertificateAuthority(new PemKeyPair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()), time);
    }

    /// <summary>Uses an existing CA (read back from its Secret).</summary>
    /// <param name="pair">The CA's certificate and key.</param>
    /// <param name="time">The clock.</param>
    /// <returns>The CA.</returns>
    /// <exception cref="CryptographicException">The PEM texts are not a CA certificate and its key.</exception>
    public static CertificateAuthority FromPem(PemKeyPair pair, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pair);
        using var certificate = X509Certificate2.CreateFromPem(pair.CertificatePem, pair.KeyPem);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new CryptographicException("the certificate is not a CA (basic constraints without CA:TRUE).");
        }

        return new CertificateAuthority(pair, time);
    }

    /// <summary>Issues a server certificate for the given DNS names (the first is also the subject's common name).</summary>
    /// <param name="dnsNames">The names clients connect to, e.g. <c>lepton.lepton-system.svc</c>.</param>
    /// <param name="validity">How long the certificate is valid (at most as long as the CA).</param>
    /// <returns>The certificate and its key.</returns>
    public PemKeyPair IssueServer(IReadOnlyList<string> dnsNames, TimeSpan validity) => Issue(dnsNames, ServerAuthOid, validity);

    /// <summary>Issues a client certificate whose DNS SAN (and common name) is <paramref name="identity"/>.</summary>
    /// <param name="identity">The client identity the server pins, e.g. <c>lepton-scheduler</c>.</param>
    /// <param name="validity">How long the certificate is valid (at most as long as the CA).</param>
    /// <returns>The certificate and its key.</returns>
    public PemKeyPair IssueClient(string identity, TimeSpan validity) => Issue([identity], ClientAuthOid, validity);

    private PemKeyPair Issue(IReadOnlyList<string> dnsNames, string usage, TimeSpan validity)
    {
        ArgumentOutOfRangeException.ThrowIfZero(dnsNames.Count);
        using var issuer = X509Certificate2.CreateFromPem(Pair.CertificatePem, Pair.KeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + dnsNames[0]), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build(true));
        var now = _time.GetUtcNow();
        var notAfter = now + validity;
        if (notAfter > issuer.NotAfter)
        {
            notAfter = issuer.NotAfter;
        }

        using var certificate = request.Create(issuer, now - ClockSkew, notAfter, SerialNumber());
        return new PemKeyPair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x01; // and never shortened by a leading zero
        return serial;
    }
}
