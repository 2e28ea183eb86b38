using Lepton.Cli.Serve;
using Lepton.Testing;

namespace Lepton.Cli.Tests.Serve;

public sealed class ServeHostTests
{
    [Fact]
    public void Validate_NoClusterSource_SaysWhichFlagsChooseOne()
    {
        var problem = ServeHost.Validate(new ServeSettings(), out _);

        Assert.NotNull(problem);
        Assert.Contains("--kubeconfig", problem, StringComparison.Ordinal);
        Assert.Contains("--cluster-state", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoClusterSources_Refused()
    {
        var problem = ServeHost.Validate(new ServeSettings { ClusterStateFile = "state.json", InCluster = true }, out _);

        Assert.Equal("--cluster-state, --kubeconfig and --in-cluster are alternatives; give exactly one.", problem);
    }

    [Fact]
    public void Validate_LeaseFlagsWithAClusterStateFile_RefusedBecauseNothingElects()
    {
        var problem = ServeHost.Validate(new ServeSettings { ClusterStateFile = "state.json", LeaseDuration = "15s", LeaderElect = false }, out _);

        Assert.Equal("--lease-duration, --leader-elect only apply with --kubeconfig or --in-cluster.", problem);
    }

    [Fact]
    public void Validate_BadDuration_NamesTheFlagAndTheValue()
    {
        var problem = ServeHost.Validate(new ServeSettings { KubeconfigFile = "k", RenewDeadline = "10 seconds" }, out _);

        Assert.Equal("--renew-deadline '10 seconds' is not a positive duration (use e.g. 15s, 500ms, 1m30s or 00:00:15).", problem);
    }

    [Fact]
    public void Validate_KubeconfigWithElectionFlags_SetsTheLeaderElectionSection()
    {
        var problem = ServeHost.Validate(
            new ServeSettings
            {
                KubeconfigFile = "k",
                LeaseDuration = "20s",
                RenewDeadline = "12s",
                RetryPeriod = "1500ms",
                LeaderElect = false,
                LeaseNamespace = "gpu-sched",
            },
            out var configuration);

        Assert.Null(problem);
        Assert.Equal("00:00:20", configuration["Lepton:LeaderElection:LeaseDuration"]);
        Assert.Equal("00:00:12", configuration["Lepton:LeaderElection:RenewDeadline"]);
        Assert.Equal("00:00:01.5000000", configuration["Lepton:LeaderElection:RetryPeriod"]);
        Assert.Equal("false", configuration["Lepton:LeaderElection:Enabled"]);
        Assert.Equal("gpu-sched", configuration["Lepton:LeaderElection:LeaseNamespace"]);
    }

    [Fact]
    public async Task RunAsync_MissingKubeconfig_ExitsTwoWithTheReason()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("missing.kubeconfig");
        using var error = new StringWriter();

        var code = await ServeHost.RunAsync(new ServeSettings { KubeconfigFile = path }, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Equal($"lepton serve: --kubeconfig {path}: no such file.", error.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_MalformedKubeconfig_ExitsTwoWithTheReason()
    {
        using var directory = new TempDirectory();
        var path = directory.File("bad.kubeconfig", "apiVersion: v1\nkind: Config\nclusters: [}\n");
        using var error = new StringWriter();

        var code = await ServeHost.RunAsync(new ServeSettings { KubeconfigFile = path }, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.StartsWith($"lepton serve: --kubeconfig {path}: ", error.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RunAsync_InClusterOutsideAPod_ExitsTwoPointingAtKubeconfig()
    {
        Skip.If(k8s.KubernetesClientConfiguration.IsInCluster(), "running inside a pod with a service account");
        using var error = new StringWriter();

        var code = await ServeHost.RunAsync(new ServeSettings { InCluster = true }, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("not running in a pod", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateListeners_TlsWithoutMetricsUrls_RefusedBecauseProbesHaveNoCertificate()
    {
        var problem = ServeHost.ValidateListeners(
            new ServeSettings { Urls = "https://0.0.0.0:8443", TlsCertFile = "a", TlsKeyFile = "b", TlsClientCaFile = "c" }, out _, out _);

        Assert.StartsWith("TLS on the extender port needs --metrics-urls", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateListeners_CertWithoutKeyAndCa_NamesTheMissingFlags()
    {
        var problem = ServeHost.ValidateListeners(new ServeSettings { TlsCertFile = "a" }, out _, out _);

        Assert.Equal("--tls-cert-file, --tls-key-file and --tls-client-ca-file go together; missing --tls-key-file, --tls-client-ca-file.", problem);
    }

    [Fact]
    public void ValidateListeners_HttpsUrlWithoutTls_Refused()
    {
        var problem = ServeHost.ValidateListeners(new ServeSettings { Urls = "https://0.0.0.0:8443" }, out var listeners, out _);

        Assert.StartsWith("--urls https://0.0.0.0:8443: https needs --tls-cert-file", problem, StringComparison.Ordinal);
        Assert.Null(listeners);
    }

    [Fact]
    public void ValidateListeners_PlainSinglePort_NoListenersSoKestrelKeepsItsUrls()
    {
        var problem = ServeHost.ValidateListeners(new ServeSettings(), out var listeners, out var tls);

        Assert.Null(problem);
        Assert.Null(listeners);
        Assert.Null(tls);
    }

    [Fact]
    public void ValidateListeners_MetricsUrlHttps_Refused()
    {
        var problem = ServeHost.ValidateListeners(new ServeSettings { MetricsUrls = "https://0.0.0.0:9090" }, out _, out _);

        Assert.Equal("--metrics-urls https://0.0.0.0:9090: the metrics port is plain http:// (no client certificates).", problem);
    }

    [Fact]
    public void ValidateListeners_HostName_RefusedBecauseKestrelBindsAddresses()
    {
        var problem = ServeHost.ValidateListeners(new ServeSettings { MetricsUrls = "http://lepton.example:9090" }, out _, out _);

        Assert.Equal("--metrics-urls http://lepton.example:9090: the host must be an IP address, localhost or *.", problem);
    }

    [Fact]
    public async Task RunAsync_MissingClientCaFile_ExitsTwoNamingTheFlagBeforeLoadingTheCluster()
    {
        using var directory = new TempDirectory();
        var ca = directory.Combine("ca.crt");
        using var error = new StringWriter();
        var settings = new ServeSettings
        {
            Urls = "https://127.0.0.1:0",
            MetricsUrls = "http://127.0.0.1:0",
            TlsCertFile = directory.File("tls.crt", "x"),
            TlsKeyFile = directory.File("tls.key", "x"),
            TlsClientCaFile = ca,
            // Never read: the TLS files are checked first.
            ClusterStateFile = directory.Combine("missing-state.json"),
        };

        var code = await ServeHost.RunAsync(settings, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Equal($"lepton serve: --tls-client-ca-file {ca}: no such file.", error.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_CertificateFileNotPem_ExitsTwoNamingTheFlag()
    {
        using var directory = new TempDirectory();
        using var error = new StringWriter();
        var settings = new ServeSettings
        {
            Urls = "https://127.0.0.1:0",
            MetricsUrls = "http://127.0.0.1:0",
            TlsCertFile = directory.File("tls.crt", "not a certificate"),
            TlsKeyFile = directory.File("tls.key", "x"),
            TlsClientCaFile = directory.File("ca.crt", "x"),
            ClusterStateFile = directory.Combine("missing-state.json"),
        };

        var code = await ServeHost.RunAsync(settings, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.StartsWith($"lepton serve: --tls-cert-file {settings.TlsCertFile} with --tls-key-file {settings.TlsKeyFile}: not a PEM certificate", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fifo", "Fifo")]
    [InlineData("sjf-predicted", "SjfPredicted")]
    public void Validate_QueueOrder_SetsTheOperatorsQueueOrder(string flag, string expected)
    {
        var problem = ServeHost.Validate(new ServeSettings { KubeconfigFile = "k", QueueOrder = flag }, out var sut);

        Assert.Null(problem);
        Assert.Equal(expected, sut["Lepton:Operator:QueueOrder"]);
    }

    [Fact]
    public void Validate_UnknownQueueOrderOrWithoutAnApiServer_NamesTheFlag()
    {
        var unknown = ServeHost.Validate(new ServeSettings { KubeconfigFile = "k", QueueOrder = "las" }, out _);
        var stray = ServeHost.Validate(new ServeSettings { ClusterStateFile = "state.json", QueueOrder = "fifo" }, out _);

        Assert.Equal("--queue-order 'las': use fifo or sjf-predicted.", unknown);
        Assert.Contains("--queue-order", stray, StringComparison.Ordinal);
    }
}
