using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Patching;

namespace Lepton.Testing.KubeApiServer;

/// <summary>
/// Standalone mode: <c>dotnet run --project tests/Lepton.Testing.KubeApiServer -- --port 0 [--kubeconfig PATH] [--crd FILE]...</c>.
/// Prints the kubeconfig path as the first line of stdout and serves until SIGINT or SIGTERM.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new KubeApiTestServerOptions();
        string? kubeconfig = null;
        var crdFiles = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when value is not null:
                    options.Port = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--host" when value is not null:
                    options.Host = value;
                    i++;
                    break;
                case "--kubeconfig" when value is not null:
                    kubeconfig = value;
                    i++;
                    break;
                case "--crd" when value is not null:
                    crdFiles.Add(value);
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync(
                        "usage: Lepton.Testing.KubeApiServer [--port P] [--host 127.0.0.1] [--kubeconfig PATH] [--crd FILE]...").ConfigureAwait(false);
                    return args[i] is "-h" or "--help" ? 0 : 2;
            }
        }

        foreach (var file in crdFiles)
        {
            foreach (var document in YamlJson.ParseDocuments(await File.ReadAllTextAsync(file).ConfigureAwait(false)).OfType<JsonObject>())
            {
                options.CustomResourceDefinitions.Add(document);
            }
        }

        using var stop = new CancellationTokenSource();
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var server = await KubeApiTestServer.StartAsync(options, stop.Token).ConfigureAwait(false);
        var path = server.WriteKubeconfig(kubeconfig ?? Path.Combine(Path.GetTempPath(),
            string.Create(CultureInfo.InvariantCulture, $"kube-api-test-server-{Environment.ProcessId}.kubeconfig")));
        await Console.Out.WriteLineAsync(path).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"Kubernetes API test server listening on {server.BaseAddress}").ConfigureAwait(false);

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Token.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
