using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Lepton.Cli.Certificates;
using Lepton.Cli.Commands;
using Lepton.Testing.KubeApiServer;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Cli.Tests.Certificates;

/// <summary><c>lepton certs ensure</c> against the API test double (DECISIONS.md 21).</summary>
public sealed class CertificateSecretsTests
{
    private static readonly CertificateSecretsRequest Request = new()
    {
        Names = new CertificateSecretNames { Namespace = "default", CaSecret = "lepton-ca", ServerSecret = "lepton-server-tls", ClientSecret = "lepton-scheduler-tls" },
        ServerDnsNames = CertsCommand.ServiceDnsNames("lepton", "default", "cluster.local", []),
    };

    [Fact]
    public async Task EnsureAsync_NoSecrets_CreatesCaServerAndClientThatChainToOneCa()
    {
        await using var server = await KubeApiTestServer.StartAsync();
        using var client = Client(server);
        var sut = new CertificateSecrets(client, TimeProvider.System);

        var result = await sut.EnsureAsync(Request, CancellationToken.None);

        Assert.Equal((SecretOutcome.Created, SecretOutcome.Created, SecretOutcome.Created), (result.Ca, result.Server, result.Client));
        Assert.Empty(result.Warnings);
        var ca = await ReadAsync(client, "lepton-ca");
        var serverSecret = await ReadAsync(client, "lepton-server-tls");
        var clientSecret = await ReadAsync(client, "lepton-scheduler-tls");
        Assert.Equal("kubernetes.io/tls", serverSecret.Type);
        Assert.Equal(Text(ca, "tls.crt"), Text(serverSecret, "ca.crt"));
        Assert.Equal(Text(ca, "tls.crt"), Text(clientSecret, "ca.crt"));
        using var serverCertificate = X509Certificate2.CreateFromPem(Text(serverSecret, "tls.crt"), Text(serverSecret, "tls.key"));
        using var clientCertificate = X509Certificate2.CreateFromPem(Text(clientSecret, "tls.crt"), Text(clientSecret, "tls.key"));
        Assert.Contains("lepton.default.svc", serverCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Equal(["lepton-scheduler"], clientCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Equal(X509Certificate2.CreateFromPem(Text(ca, "tls.crt")).Subject, clientCertificate.Issuer);
    }

    [Fact]
    public async Task EnsureAsync_SecretsExist_KeepsThemByteForByte()
    {
        await using var server = await KubeApiTestServer.StartAsync();
        using var client = Client(server);
        var sut = new CertificateSecrets(client, TimeProvider.System);
        await sut.EnsureAsync(Request, CancellationToken.None);
        var before = await ReadAsync(client, "lepton-server-tls");

        var result = await sut.EnsureAsync(Request, CancellationToken.None);

        Assert.Equal((SecretOutcome.Kept, SecretOutcome.Kept, SecretOutcome.Kept), (result.Ca, result.Server, result.Client));
        var after = await ReadAsync(client, "lepton-server-tls");
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(Text(before, "tls.key"), Text(after, "tls.key"));
    }

    [Fact]
    public async Task EnsureAsync_TwoConcurrentCallersRaceOnTheCa_OneCaAndEverySecretChainsToIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await KubeApiTestServer.StartAsync(new() { TimeProvider = time });
        using var first = Client(server);
        using var second = Client(server);
        // Both callers read "no CA" and then both create it: the API server holds both creates until the clock moves.
        server.Faults.AddLatency(TimeSpan.FromSeconds(1), verb: "create", resource: "secrets");
        var a = new CertificateSecrets(first, TimeProvider.System).EnsureAsync(Request, CancellationToken.None);
        var b = new CertificateSecrets(second, TimeProvider.System).EnsureAsync(Request, CancellationToken.None);
        await server.Faults.WaitForDelayedRequestsAsync(2);
        server.Faults.ClearLatency();
        time.Advance(TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(a, b);

        Assert.Equal([SecretOutcome.Created, SecretOutcome.CreatedByAnother], results.Select(r => r.Ca).Order());
        Assert.All(results, r => Assert.Empty(r.Warnings));
        var ca = Text(await ReadAsync(client: first, "lepton-ca"), "tls.crt");
        Assert.Equal(ca, Text(await ReadAsync(first, "lepton-server-tls"), "ca.crt"));
        Assert.Equal(ca, Text(await ReadAsync(first, "lepton-scheduler-tls"), "ca.crt"));
        using var root = X509Certificate2.CreateFromPem(ca);
        using var clientCertificate = X509Certificate2.CreateFromPem(Text(await ReadAsync(first, "lepton-scheduler-tls"), "tls.crt"));
        using var serverCertificate = X509Certificate2.CreateFromPem(Text(await ReadAsync(first, "lepton-server-tls"), "tls.crt"));
        Assert.True(ChainsTo(clientCertificate, root));
        Assert.True(ChainsTo(serverCertificate, root));
        Assert.Equal(3, server.Requests.Entries.Count(r => r.Verb == "create" && r.Resource == "secrets" && r.StatusCode == 201));
    }

    [Fact]
    public async Task RunAsync_Forbidden_ExitsOneWithTheApiServersAnswer()
    {
        await using var server = await KubeApiTestServer.StartAsync();
        using var client = Client(server);
        server.Faults.FailNext(1, verb: "get", resource: "secrets", statusCode: 403, message: "secrets is forbidden");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CertsCommand.RunAsync(new CertificateSecrets(client, TimeProvider.System), Request, output, error, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("403", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("secrets is forbidden", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsEnsureCommand_TheChartJobsArgs_CreatesTheSecretsAndASecondRunKeepsThem()
    {
        await using var server = await KubeApiTestServer.StartAsync();
        using var directory = new Lepton.Testing.TempDirectory();
        var kubeconfig = directory.File("kubeconfig", server.KubeconfigYaml());
        // charts/lepton/templates/tls-certs-job.yaml, with --kubeconfig in place of --in-cluster.
        string[] args =
        [
            "certs", "ensure", "--kubeconfig", kubeconfig, "--namespace=default", "--ca-secret=lepton-ca",
            "--server-secret=lepton-server-tls", "--client-secret=lepton-scheduler-tls", "--service=lepton",
            "--cluster-domain=cluster.local", "--client-identity=lepton-scheduler", "--valid-days=3650",
        ];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new System.CommandLine.RootCommand { CertsCommand.Create(output, error) };

        var first = await root.Parse(args).InvokeAsync();
        using var client = Client(server);
        var key = Text(await ReadAsync(client, "lepton-server-tls"), "tls.key");
        var second = await root.Parse(args).InvokeAsync();

        Assert.True((first, second) == (0, 0), error.ToString());
        Assert.Contains("secret default/lepton-ca: created", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("secret default/lepton-ca: exists; kept", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(key, Text(await ReadAsync(client, "lepton-server-tls"), "tls.key"));
        using var certificate = X509Certificate2.CreateFromPem(Text(await ReadAsync(client, "lepton-server-tls"), "tls.crt"));
        Assert.Equal(
            ["lepton.default.svc", "lepton", "lepton.default", "lepton.default.svc.cluster.local"],
            certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public async Task CertsEnsureCommand_NoClusterSource_ExitsTwo()
    {
        using var error = new StringWriter();
        var root = new System.CommandLine.RootCommand { CertsCommand.Create(TextWriter.Null, error) };

        var code = await root.Parse(["certs", "ensure", "--namespace=default", "--ca-secret=a", "--server-secret=b", "--client-secret=c", "--service=lepton"]).InvokeAsync();

        Assert.Equal(2, code);
        Assert.Equal("lepton certs ensure: give exactly one of --kubeconfig FILE and --in-cluster.", error.ToString().Trim());
    }

    private static k8s.Kubernetes Client(KubeApiTestServer server) => new(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

    private static Task<V1Secret> ReadAsync(IKubernetes client, string name) => client.CoreV1.ReadNamespacedSecretAsync(name, "default");

    private static string Text(V1Secret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
