using System.Diagnostics;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Runs the real kubectl against a test server, with its own kubeconfig and discovery cache.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kubectl-test-" + Guid.NewGuid().ToString("N"));
    private readonly string _executable;
    private readonly string _kubeconfig;

    public Kubectl(KubeApiTestServer server)
    {
        _executable = Find() ?? throw new InvalidOperationException("kubectl not found");
        Directory.CreateDirectory(_directory);
        _kubeconfig = server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
    }

    public static string? Find()
    {
        if (File.Exists("/usr/bin/kubectl"))
        {
            return "/usr/bin/kubectl";
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl and returns its exit code and output; fails the test if it does not finish in time.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(_directory, "cache"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["HOME"] = _directory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestServer.Generous());
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
