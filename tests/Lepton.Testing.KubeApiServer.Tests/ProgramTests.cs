using System.Diagnostics;
using k8s;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests;

/// <summary>The standalone executable: prints its kubeconfig path first, serves, stops on SIGTERM.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Main_PortZero_PrintsKubeconfigPathThenServesUntilTerminated()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kube-api-server-" + Guid.NewGuid().ToString("N"));
        var kubeconfig = Path.Combine(directory, "config");
        var assembly = typeof(KubeApiTestServer).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { assembly, "--port", "0", "--kubeconfig", kubeconfig })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var ct = TestServer.Generous();
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync(ct);

            Assert.Equal(kubeconfig, firstLine);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: ct);
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");

            using (var terminate = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync(ct);
            }

            await process.WaitForExitAsync(ct);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
