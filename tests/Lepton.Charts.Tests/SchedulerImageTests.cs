namespace Lepton.Charts.Tests;

/// <summary>
/// The chart's kube-scheduler image follows the cluster's version (issue 12 item 3): Kubernetes'
/// skew policy forbids a kube-scheduler newer than the API server, and managed clusters report
/// versions with vendor suffixes.
/// </summary>
public class SchedulerImageTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    public static TheoryData<string, string> ClusterVersions => new()
    {
        { "1.31.2", "v1.31.2" },
        { "v1.29.3-eks-abc123", "v1.29.3" },
        { "v1.30.1+k3s1", "v1.30.1" },
        { "v1.30.5-gke.1014001", "v1.30.5" },
    };

    [Theory]
    [MemberData(nameof(ClusterVersions))]
    public void Template_KubeVersion_TagIsTheClustersVersionWithoutVendorSuffix(string kubeVersion, string expected)
    {
        var sut = SchedulerImage("--kube-version", kubeVersion);

        Assert.Equal("registry.k8s.io/kube-scheduler:" + expected, sut);
    }

    [Fact]
    public void Template_TagSet_OverridesTheClustersVersion()
    {
        var sut = SchedulerImage("--kube-version", "v1.29.3-eks-abc123", "--set", "scheduler.image.tag=v1.29.0");

        Assert.Equal("registry.k8s.io/kube-scheduler:v1.29.0", sut);
    }

    private string SchedulerImage(params string[] args)
    {
        var result = chart.Run(
            chart.Helm,
            ["template", "lepton", Path.Combine(chart.RepoRoot, "charts", "lepton"), "--namespace", "lepton-system", "--show-only", "templates/scheduler-deployment.yaml", .. args]);
        Assert.True(result.ExitCode == 0, result.Output);
        var line = result.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("image:", StringComparison.Ordinal));
        return line["image:".Length..].Trim().Trim('"');
    }
}
