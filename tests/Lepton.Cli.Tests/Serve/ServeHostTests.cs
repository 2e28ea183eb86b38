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
}
