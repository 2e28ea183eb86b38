using Lepton.Extender;
using Lepton.Kubernetes;
using Lepton.Models;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Scoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Cli.Serve;

/// <summary>Builds and runs the extender's web host; registration lives in <c>AddLeptonExtender()</c>.</summary>
internal static class ServeHost
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires (Ctrl+C, SIGTERM).</summary>
    /// <param name="settings">The command-line flags.</param>
    /// <param name="error">Where start-up errors are printed.</param>
    /// <param name="cancellationToken">Stops the host.</param>
    /// <returns>The exit code: 0 after a clean stop, 2 for bad flags or configuration, 1 for a bad state file.</returns>
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        if (settings.ClusterStateFile is null)
        {
            await error.WriteLineAsync(
                "lepton serve: --cluster-state FILE is required (a `kubectl get nodes,pods -A -o json` List); " +
                "reading the cluster from an API server (--kubeconfig) comes with the operator.").ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBytes ?? ExtenderOptions.DefaultMaxRequestBytes);
        // The learned scorer registers before the extender, whose registry registration is TryAdd.
        builder.Services.AddLeptonModels(o =>
        {
            o.PolicyPath = settings.ResolveModelPath();
            o.ExecutionProvider = settings.ExecutionProvider;
        });
        builder.Services.AddSingleton(sp => ScorerRegistry.CreateDefault().AddLearned(sp.GetRequiredService<ILearnedScorerFactory>()));
        builder.Services.AddLeptonExtender(o =>
        {
            o.ClusterStateFile = settings.ClusterStateFile;
            o.Policy = settings.Policy ?? o.Policy;
            o.MaxRequestBytes = settings.MaxRequestBytes ?? o.MaxRequestBytes;
            o.PathPrefix = settings.PathPrefix ?? o.PathPrefix;
        });

        try
        {
            await using var app = builder.Build();
            app.UseLeptonExtenderExceptionHandler();
            app.MapLeptonExtender();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await error.WriteLineAsync("lepton serve: " + failure).ConfigureAwait(false);
            }

            return 2;
        }
        catch (ClusterStateFileException e)
        {
            await error.WriteLineAsync("lepton serve: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (KubeObjectException e)
        {
            await error.WriteLineAsync("lepton serve: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }
}
