using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Lepton.Cli.Serve;

namespace Lepton.Cli.Tests.Versioning;

/// <summary>One version (issue 12): what <c>lepton --version</c> prints is the chart's appVersion.</summary>
public sealed partial class VersionTests
{
    [Fact]
    public void InformationalVersion_IsTheChartsAppVersion()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Lepton.K8s.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var chart = File.ReadAllText(Path.Combine(root.FullName, "charts", "lepton", "Chart.yaml"));
        var appVersion = AppVersion().Match(chart).Groups[1].Value;

        var version = typeof(ServeHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(appVersion, version);
    }

    [Fact]
    public async Task LeptonVersionFlag_PrintsTheVersion()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "lepton");
        Assert.True(File.Exists(exe), $"{exe} is missing");
        var version = typeof(ServeHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        using var process = Process.Start(new ProcessStartInfo(exe, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;

        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(version, output.Trim());
    }

    [GeneratedRegex("^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$", RegexOptions.Multiline)]
    private static partial Regex AppVersion();
}
