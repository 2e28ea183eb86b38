using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lepton.Cli.Certificates;
using Lepton.Cli.Commands;
using Lepton.Cli.Serve;
using Lepton.Cli.Tests.Certificates;

namespace Lepton.Cli.Tests.Serve;

/// <summary>
/// Issue 12 item 1 (DECISIONS.md 21): <c>lepton serve</c> with the chart's TLS settings, over
/// <c>examples/cluster-state.json</c>. The extender port takes the verbs only from a client certificate that chains to
/// the configured CA (else the handshake fails) and names the pinned identity (else 403); <c>/metrics</c> and the
/// probes answer on the plain port without a certificate.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeTlsTests : IAsyncLifetime, IDisposable
{
    private const string FilterBody = """
        {"Pod":{"metadata":{"name":"p","namespace":"default","uid":"11111111-2222-3333-4444-555555555555"},
                "spec":{"containers":[{"name":"c","resources":{"requests":{"nvidia.com/gpu":"1"},"limits":{"nvidia.com/gpu":"1"}}}]}},
         "NodeNames":["gpu-a100-0","gpu-t4-0"]}
        """;

    private readonly TestCertificates _certificates = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _error = new();
    private Task<int>? _serve;
    private ServeAddresses? _addresses;

    /// <summary>
    /// The TLS flags the chart's Deployment passes (charts/lepton/templates/deployment.yaml, the mount path
    /// replaced by the temporary folder), on loopback ports bound as 0, over the example cluster.
    /// </summary>
    private string[] Args =>
    [
        "serve",
        "--urls=https://127.0.0.1:0",
        "--metrics-urls=http://127.0.0.1:0",
        $"--tls-cert-file={_certificates.ServerCertificateFile}",
        $"--tls-key-file={_certificates.ServerKeyFile}",
        $"--tls-client-ca-file={_certificates.CaFile}",
        "--tls-client-identity=lepton-scheduler",
        "--policy=BestFit",
        "--cluster-state", Path.Combine(RepoRoot(), "examples", "cluster-state.json"),
    ];

    public async Task InitializeAsync()
    {
        // Through the real command line, so the flags' wiring is what is tested.
        ServeSettings? settings = null;
        var root = new RootCommand { ServeCommand.Create((s, _) => { settings = s; return Task.FromResult(0); }) };
        Assert.Equal(0, await root.Parse(Args).InvokeAsync());
        Assert.NotNull(settings);

        var started = new TaskCompletionSource<ServeAddresses>(TaskCreationOptions.RunContinuationsAsynchronously);
        _serve = ServeHost.RunAsync(settings, _error, _stop.Token, started.SetResult);
        var first = await Task.WhenAny(started.Task, _serve).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(first == started.Task, $"lepton serve stopped before listening: {_error}");
        _addresses = await started.Task;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_serve is not null)
        {
            Assert.Equal(0, await _serve.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _error.Dispose();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Filter_WithoutClientCertificate_HandshakeRefused()
    {
        using var client = ExtenderClient(certificate: null);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostFilterAsync(client));
    }

    [Fact]
    public async Task Filter_SameCaOtherIdentity_Forbidden403NamingThePinnedIdentity()
    {
        using var certificate = _certificates.Client("other-client");
        using var client = ExtenderClient(certificate);

        using var response = await PostFilterAsync(client);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'lepton-scheduler'", body, StringComparison.Ordinal);
        Assert.Contains("other-client", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_PinnedIdentityFromAnotherCa_HandshakeRefused()
    {
        var stranger = CertificateAuthority.Create("lepton-ca", TimeSpan.FromDays(30), TimeProvider.System);
        using var certificate = _certificates.Client(TlsDefaults.ClientIdentity, stranger);
        using var client = ExtenderClient(certificate);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostFilterAsync(client));
    }

    [Fact]
    public async Task Filter_PinnedIdentity_Answered200()
    {
        using var certificate = _certificates.Client(TlsDefaults.ClientIdentity);
        using var client = ExtenderClient(certificate);

        using var response = await PostFilterAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"NodeNames\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("not the leader", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsAndProbes_OnThePlainPortWithoutCertificate_Answered200()
    {
        using var client = new HttpClient { BaseAddress = Assert.Single(_addresses!.Metrics) };
        Assert.Equal("http", client.BaseAddress.Scheme);

        using var metrics = await client.GetAsync("/metrics");
        using var ready = await client.GetAsync("/readyz");
        using var alive = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Verbs_OnThePlainPort_NotFound()
    {
        using var client = new HttpClient { BaseAddress = Assert.Single(_addresses!.Metrics) };

        using var response = await PostFilterAsync(client);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_OnTheExtenderPortWithThePinnedIdentity_NotFound()
    {
        using var certificate = _certificates.Client(TlsDefaults.ClientIdentity);
        using var client = ExtenderClient(certificate);

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Filter_ClientOffersHttp2_AnsweredOverHttp11SoConnectionCloseHolds()
    {
        using var certificate = _certificates.Client(TlsDefaults.ClientIdentity);
        using var client = ExtenderClient(certificate);
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;

        using var response = await PostFilterAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    private static Task<HttpResponseMessage> PostFilterAsync(HttpClient client) =>
        client.PostAsync("/filter", new StringContent(FilterBody, Encoding.UTF8, "application/json"));

    /// <summary>A client like kube-scheduler's: trusts only the chart's CA and checks the Service's name.</summary>
    private HttpClient ExtenderClient(X509Certificate2? certificate)
    {
        using var ca = X509Certificate2.CreateFromPem(_certificates.Ca.Pair.CertificatePem);
        var root = X509CertificateLoader.LoadCertificate(ca.RawData);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    if (server is not X509Certificate2 presented)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(presented) && presented.MatchesHostname("lepton.lepton-system.svc");
                },
            },
        };
        if (certificate is null)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = null;
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = Assert.Single(_addresses!.Extender) };
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lepton.K8s.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lepton.K8s.sln not found above " + AppContext.BaseDirectory);
    }
}
