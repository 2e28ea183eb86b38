using System.Text.RegularExpressions;

namespace Lepton.Charts.Tests;

/// <summary>One version (issue 12): Directory.Build.props sets it; the chart's version and appVersion (the image tag's default) must equal it.</summary>
public sealed partial class VersionTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    [Fact]
    public void ChartVersionAndAppVersion_EqualTheBuildVersion()
    {
        var props = File.ReadAllText(Path.Combine(chart.RepoRoot, "Directory.Build.props"));
        var chartYaml = File.ReadAllText(Path.Combine(chart.RepoRoot, "charts", "lepton", "Chart.yaml"));

        var version = BuildVersion().Match(props).Groups[1].Value;

        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.Equal(version, ChartField("version").Match(chartYaml).Groups[1].Value);
        Assert.Equal(version, ChartField("appVersion").Match(chartYaml).Groups[1].Value);
    }

    [Fact]
    public void ImageTag_DefaultsToTheAppVersion()
    {
        var docs = chart.Render();
        var chartYaml = File.ReadAllText(Path.Combine(chart.RepoRoot, "charts", "lepton", "Chart.yaml"));
        var appVersion = ChartField("appVersion").Match(chartYaml).Groups[1].Value;

        var image = docs.Single(d => d.Kind() == "Deployment" && d.Name() == "lepton").Get("spec", "template", "spec")!.Seq("containers").Single().Str("image");

        Assert.EndsWith(":" + appVersion, image, StringComparison.Ordinal);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex BuildVersion();

    private static Regex ChartField(string name) => new($"^{name}:\\s*\"?([^\"\\s]+)\"?\\s*$", RegexOptions.Multiline);
}
