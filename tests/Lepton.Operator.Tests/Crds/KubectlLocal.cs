using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lepton.Operator.Tests.Crds;

/// <summary>
/// Parses a manifest with kubectl's own YAML reader, offline (<c>kubectl label --local</c>), when
/// kubectl is installed: what the API server would receive, quoting rules included.
/// </summary>
internal static class KubectlLocal
{
    private const string Kubectl = "/usr/bin/kubectl";

    public static bool IsAvailable => File.Exists(Kubectl);

    public static JsonNode Parse(string file)
    {
        var start = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "label", "--local", "-f", file, "lepton.ai/parsed=true", "-o", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"kubectl did not parse {file} within 60 s.");
        }

        Assert.True(process.ExitCode == 0, $"kubectl could not parse {file}: {stderr.Result}");
        return JsonNode.Parse(stdout.Result)!;
    }
}
