using System.Globalization;
using k8s;
using k8s.Exceptions;
using Lepton.Extender;
using Lepton.Kubernetes;
using Lepton.Models;
using Lepton.Models.Scoring;
using Lepton.Operator;
using Lepton.Operator.Rebalancing;
using Lepton.Scheduling.Scoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
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
    /// <remarks>
    /// With <c>--cluster-state</c> only the extender runs, over the file's nodes and pods. With <c>--kubeconfig</c> or
    /// <c>--in-cluster</c> the same process also runs the operator: informers fill the cluster state every replica
    /// serves the extender from, <c>/bind</c> posts <c>pods/binding</c>, and the elected leader reconciles.
    /// </remarks>
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        var problem = Validate(settings, out var operatorSettings);
        KubernetesClientConfiguration? client = null;
        if (problem is null && settings.UsesApiServer)
        {
            problem = TryLoadClientConfiguration(settings, out client);
        }

        if (problem is not null)
        {
            await error.WriteLineAsync("lepton serve: " + problem).ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        // Flags win over configuration (appsettings, Lepton__Section__Key environment variables).
        builder.Configuration.AddInMemoryCollection(operatorSettings);
        ConfigureLogging(builder.Logging);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBytes ?? ExtenderOptions.DefaultMaxRequestBytes);
        AddServices(builder.Services, settings, client);

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

    /// <summary>
    /// JSON lines on stdout, each with an ISO-8601 UTC timestamp (issue 12). ASP.NET Core's per-request
    /// lines (four at Information for every extender call) are kept for Debug: the categories
    /// <c>Microsoft.AspNetCore</c> log from Warning unless configuration says otherwise
    /// (<c>Logging__LogLevel__Microsoft.AspNetCore=Debug</c>).
    /// </summary>
    /// <param name="logging">The logging builder.</param>
    internal static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }

    /// <summary>
    /// Registers what <c>lepton serve</c> runs. Each flag overrides configuration only when it is given
    /// (<see cref="LeptonModelOptions.DefaultPolicyPath"/> is the one default model path); the model layer
    /// contributes the Learned policy to the extender's scorer registry, whatever the order.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="settings">The flags.</param>
    /// <param name="client">The API server, or null in <c>--cluster-state</c> mode.</param>
    internal static void AddServices(IServiceCollection services, ServeSettings settings, KubernetesClientConfiguration? client)
    {
        services.AddLeptonModels(o =>
        {
            o.PolicyPath = settings.ModelPath ?? o.PolicyPath;
            o.ExecutionProvider = settings.ExecutionProvider ?? o.ExecutionProvider;
        });
        services.AddLeptonExtender(o =>
        {
            o.ClusterStateFile = settings.ClusterStateFile;
            o.Policy = settings.Policy ?? o.Policy;
            o.MaxRequestBytes = settings.MaxRequestBytes ?? o.MaxRequestBytes;
            o.PathPrefix = settings.PathPrefix ?? o.PathPrefix;
            o.ScoreMapping = settings.ScoreMapping ?? o.ScoreMapping;
        });
        if (client is not null)
        {
            // One process: every replica fills the extender's cluster state from its own informers and serves
            // filter/prioritize/bind; only the elected leader reconciles LeptonJobs, admits gangs and rebalances.
            services.AddLeptonOperator(client);
            services.AddLeptonRebalancer();
        }
    }

    /// <summary>Checks the flags that choose where the cluster comes from and the leader-election flags.</summary>
    /// <param name="settings">The flags.</param>
    /// <param name="configuration">The configuration keys the flags set (<c>Lepton:LeaderElection:*</c>).</param>
    /// <returns>A message for the first problem, or null.</returns>
    internal static string? Validate(ServeSettings settings, out Dictionary<string, string?> configuration)
    {
        configuration = [];
        var sources = new[] { settings.ClusterStateFile is not null, settings.KubeconfigFile is not null, settings.InCluster }.Count(x => x);
        if (sources != 1)
        {
            return sources == 0
                ? "say where the cluster comes from: --kubeconfig FILE or --in-cluster (watch an API server and run the operator), " +
                  "or --cluster-state FILE (a `kubectl get nodes,pods -A -o json` List, extender only)."
                : "--cluster-state, --kubeconfig and --in-cluster are alternatives; give exactly one.";
        }

        var electionFlags = new (string Flag, string? Value, string Key)[]
        {
            ("--lease-duration", settings.LeaseDuration, "LeaseDuration"),
            ("--renew-deadline", settings.RenewDeadline, "RenewDeadline"),
            ("--retry-period", settings.RetryPeriod, "RetryPeriod"),
        };
        if (!settings.UsesApiServer)
        {
            var stray = electionFlags.Where(f => f.Value is not null).Select(f => f.Flag)
                .Concat(settings.LeaderElect is not null ? ["--leader-elect"] : [])
                .Concat(settings.LeaseNamespace is not null ? ["--lease-namespace"] : [])
                .ToList();
            return stray.Count == 0 ? null : $"{string.Join(", ", stray)} only apply with --kubeconfig or --in-cluster.";
        }

        const string section = "Lepton:LeaderElection:";
        foreach (var (flag, value, key) in electionFlags)
        {
            if (value is null)
            {
                continue;
            }

            if (!Durations.TryParse(value, out var duration))
            {
                return $"{flag} '{value}' is not a positive duration (use e.g. 15s, 500ms, 1m30s or 00:00:15).";
            }

            configuration[section + key] = duration.ToString("c", CultureInfo.InvariantCulture);
        }

        if (settings.LeaderElect is { } elect)
        {
            configuration[section + "Enabled"] = elect ? "true" : "false";
        }

        if ((settings.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE")) is { Length: > 0 } ns)
        {
            configuration[section + "LeaseNamespace"] = ns;
        }

        if (Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod)
        {
            configuration[section + "Identity"] = pod;
        }

        return null;
    }

    private static string? TryLoadClientConfiguration(ServeSettings settings, out KubernetesClientConfiguration? client)
    {
        client = null;
        if (settings.InCluster)
        {
            if (!KubernetesClientConfiguration.IsInCluster())
            {
                return "--in-cluster: not running in a pod (KUBERNETES_SERVICE_HOST/PORT or the service-account token are missing); use --kubeconfig FILE.";
            }

            client = KubernetesClientConfiguration.InClusterConfig();
            return null;
        }

        var path = settings.KubeconfigFile!;
        if (!File.Exists(path))
        {
            return $"--kubeconfig {path}: no such file.";
        }

        try
        {
            client = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            return null;
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException or YamlDotNet.Core.YamlException)
        {
            return $"--kubeconfig {path}: {e.Message}";
        }
    }
}
