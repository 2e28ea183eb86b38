using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>
/// Renders charts/lepton with the repository's helm (.tools/helm, installed by
/// scripts/install-helm.sh; .ci/run installs it before the tests) for a set of values.
/// </summary>
public sealed class ChartFixture
{
    private static readonly Lock InstallGate = new();

    public ChartFixture()
    {
        RepoRoot = FindRepoRoot();
        Helm = Path.Combine(RepoRoot, ".tools", "helm");
        lock (InstallGate)
        {
            InstallHelm();
        }
    }

    private void InstallHelm()
    {
        if (!File.Exists(Helm))
        {
            var install = Run("bash", Path.Combine(RepoRoot, "scripts", "install-helm.sh"));
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"helm is missing and scripts/install-helm.sh failed: {install.Output}");
            }
        }
    }

    public string RepoRoot { get; }

    public string Helm { get; }

    public static readonly string[] NonDefault =
    [
        "tls.mode=existing", "tls.existing.serverSecretName=lepton-server", "tls.existing.clientSecretName=lepton-client", "metrics.serviceMonitor.enabled=true",
        "metrics.prometheusRule.enabled=true", "image.cuda=true", "policy=BestFit", "replicaCount=3",
        "scheduler.scorePlugins.balancedAllocation=false", "extender.pathPrefix=/lepton",
    ];

    /// <summary>Renders the chart and parses every document.</summary>
    public IReadOnlyList<YamlMappingNode> Render(params string[] sets)
    {
        var args = new List<string> { "template", "lepton", Path.Combine(RepoRoot, "charts", "lepton"), "--namespace", "lepton-system" };
        foreach (var s in sets)
        {
            args.Add("--set");
            args.Add(s);
        }

        var result = Run(Helm, [.. args]);
        Assert.True(result.ExitCode == 0, $"helm template failed: {result.Output}");
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Output));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    private static string FindRepoRoot()
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
