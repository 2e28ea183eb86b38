using System.Security.Cryptography.X509Certificates;
using Lepton.Cli.Certificates;
using Lepton.Cli.Serve;
using Lepton.Cli.Tests.Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Cli.Tests.Serve;

public sealed class TlsCertificateStoreTests
{
    [Fact]
    public void ServerCertificate_FilesRenewed_ServedAfterTheNextCheckOnly()
    {
        using var certificates = new TestCertificates();
        var time = new FakeTimeProvider();
        var sut = TlsCertificateStore.Load(Files(certificates), time);
        var first = sut.ServerCertificate.Thumbprint;
        var renewed = certificates.Ca.IssueServer(certificates.ServerDnsNames, TimeSpan.FromDays(5));
        File.WriteAllText(certificates.ServerCertificateFile, renewed.CertificatePem);
        File.WriteAllText(certificates.ServerKeyFile, renewed.KeyPem);

        var beforeCheck = sut.ServerCertificate.Thumbprint;
        time.Advance(TlsCertificateStore.CheckInterval);
        var afterCheck = sut.ServerCertificate.Thumbprint;

        Assert.Equal(first, beforeCheck);
        Assert.NotEqual(first, afterCheck);
        using var expected = X509Certificate2.CreateFromPem(renewed.CertificatePem);
        Assert.Equal(expected.Thumbprint, afterCheck);
    }

    [Fact]
    public void ServerCertificate_KeyFileHalfWritten_KeepsThePreviousCertificate()
    {
        using var certificates = new TestCertificates();
        var time = new FakeTimeProvider();
        var sut = TlsCertificateStore.Load(Files(certificates), time);
        var first = sut.ServerCertificate.Thumbprint;
        File.WriteAllText(certificates.ServerKeyFile, "-----BEGIN PRIVATE KEY-----\nAAAA");

        time.Advance(TlsCertificateStore.CheckInterval);

        Assert.Equal(first, sut.ServerCertificate.Thumbprint);
    }

    [Fact]
    public void IsTrustedClient_CertificateOfAnotherCa_False()
    {
        using var certificates = new TestCertificates();
        var sut = TlsCertificateStore.Load(Files(certificates), TimeProvider.System);
        var stranger = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(30), TimeProvider.System);
        using var ours = certificates.Client("lepton-scheduler");
        using var theirs = certificates.Client("lepton-scheduler", stranger);

        Assert.True(sut.IsTrustedClient(ours));
        Assert.False(sut.IsTrustedClient(theirs));
    }

    [Fact]
    public void IsTrustedClient_ServerCertificateOfTheSameCa_FalseBecauseItIsNotForClientAuth()
    {
        using var certificates = new TestCertificates();
        var sut = TlsCertificateStore.Load(Files(certificates), TimeProvider.System);
        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(certificates.ServerCertificateFile));

        Assert.False(sut.IsTrustedClient(server));
    }

    [Theory]
    [InlineData("lepton-scheduler", true)]
    [InlineData("LEPTON-SCHEDULER", true)]
    [InlineData("lepton-scheduler.evil", false)]
    [InlineData("other", false)]
    public void IdentityProblem_DnsSan_NullOnlyForThePinnedName(string identity, bool accepted)
    {
        using var certificates = new TestCertificates();
        var sut = TlsCertificateStore.Load(Files(certificates), TimeProvider.System);
        using var client = certificates.Client(identity);

        var problem = sut.IdentityProblem(client);

        Assert.Equal(accepted, problem is null);
    }

    [Fact]
    public void Load_MissingKeyFile_NamesTheFlag()
    {
        using var certificates = new TestCertificates();
        var files = Files(certificates) with { KeyFile = certificates.Directory.Combine("nope.key") };

        var e = Assert.Throws<TlsFileException>(() => TlsCertificateStore.Load(files, TimeProvider.System));

        Assert.Equal($"--tls-key-file {files.KeyFile}: no such file.", e.Message);
    }

    private static ServeTlsFiles Files(TestCertificates certificates) =>
        new(certificates.ServerCertificateFile, certificates.ServerKeyFile, certificates.CaFile, TlsDefaults.ClientIdentity);
}
