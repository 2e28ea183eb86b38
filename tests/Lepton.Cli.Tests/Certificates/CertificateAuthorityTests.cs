using System.Security.Cryptography.X509Certificates;
using Lepton.Cli.Certificates;

namespace Lepton.Cli.Tests.Certificates;

public sealed class CertificateAuthorityTests
{
    [Fact]
    public void IssueServer_ServiceNames_ChainToTheCaWithServerAuthAndEveryName()
    {
        var sut = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(10), TimeProvider.System);

        var pair = sut.IssueServer(["lepton.lepton-system.svc", "lepton"], TimeSpan.FromDays(5));

        using var certificate = X509Certificate2.CreateFromPem(pair.CertificatePem, pair.KeyPem);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(["lepton.lepton-system.svc", "lepton"], certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.True(Chains(certificate, sut, CertificateAuthority.ServerAuthOid));
        Assert.False(Chains(certificate, sut, CertificateAuthority.ClientAuthOid));
    }

    [Fact]
    public void IssueClient_Identity_IsTheOnlyDnsSanAndChainsForClientAuth()
    {
        var sut = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(10), TimeProvider.System);

        var pair = sut.IssueClient("lepton-scheduler", TimeSpan.FromDays(5));

        using var certificate = X509Certificate2.CreateFromPem(pair.CertificatePem, pair.KeyPem);
        Assert.Equal(["lepton-scheduler"], certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.True(Chains(certificate, sut, CertificateAuthority.ClientAuthOid));
    }

    [Fact]
    public void IssueClient_LongerThanTheCa_EndsWithTheCa()
    {
        var sut = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(10), TimeProvider.System);

        var pair = sut.IssueClient("lepton-scheduler", TimeSpan.FromDays(100));

        using var ca = X509Certificate2.CreateFromPem(sut.Pair.CertificatePem);
        using var certificate = X509Certificate2.CreateFromPem(pair.CertificatePem);
        Assert.Equal(ca.NotAfter, certificate.NotAfter);
    }

    [Fact]
    public void FromPem_LeafCertificate_RefusedAsNotACa()
    {
        var ca = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(10), TimeProvider.System);
        var leaf = ca.IssueClient("lepton-scheduler", TimeSpan.FromDays(5));

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => CertificateAuthority.FromPem(leaf, TimeProvider.System));
    }

    private static bool Chains(X509Certificate2 certificate, CertificateAuthority ca, string usage)
    {
        using var root = X509Certificate2.CreateFromPem(ca.Pair.CertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(usage));
        return chain.Build(certificate);
    }
}
