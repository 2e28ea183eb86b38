using System.Globalization;
using k8s;
using k8s.Exceptions;
using Lepton.Extender;
using Lepton.Kubernetes;
using Lepton.Models;
using Lepton.Models.Prediction;
using Lepton.Models.Scoring;
using Lepton.Operator;
using Lepton.Operator.Gangs;
using Lepton.Operator.Rebalancing;
using Lepton.Scheduling.Prediction;
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
    /// <param name="started">Told the bound addresses once the host listens (tests use it to find ports bound as 0).</param>
    /// <returns>The exit code: 0 after a clean stop, 2 for bad flags or configuration, 1 for a bad state file.</returns>
    /// <remarks>
    /// With <c>--cluster-state</c> only the extender runs, over the file's nodes and pods. With <c>--kubeconfig</c> or
    /// <c>--in-cluster</c> the same process also runs the operator: informers fill the cluster state every replica
    /// serves the extender from, <c>/bind</c> posts <c>pods/binding</c>, and the elected leader reconciles.
    /// With <c>--tls-*</c> the extender port serves mutual TLS (DECISIONS.md 21) and <c>/metrics</c> and the probes
    /// move to <c>--metrics-urls</c>; the TLS files are checked before anything heavy is loaded.
    /// </remarks>
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter error, CancellationToken cancellationToken, Action<ServeAddresses>? started = null)
    {
        var problem = Validate(settings, out var operatorSettings);
        ServeListeners? listeners = null;
        ServeTlsFiles? tlsFiles = null;
        problem ??= ValidateListeners(settings, out listeners, out tlsFiles);
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

        var predictor = settings.UsesApiServer ? LoadPredictor(settings.PredictorPath, error) : null;

        var builder = WebApplication.CreateSlimBuilder();
        // Flags win over configuration (appsettings, Lepton__Section__Key environment variables).
        builder.Configuration.AddInMemoryCollection(operatorSettings);
        ConfigureLogging(builder.Logging);
        if (listeners is null)
        {
            builder.WebHost.UseUrls(settings.Urls);
        }

        if (tlsFiles is not null)
        {
            builder.Services.AddSingleton(sp => TlsCertificateStore.Load(
                tlsFiles, sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILoggerFactory>().CreateLogger<TlsCertificateStore>()));
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.MaxRequestBytes ?? ExtenderOptions.DefaultMaxRequestBytes;
            listeners?.Configure(k, tlsFiles is null ? null : k.ApplicationServices.GetRequiredService<TlsCertificateStore>());
        });
        AddServices(builder.Services, settings, client, predictor);

        try
        {
            await using var app = builder.Build();
            app.UseLeptonExtenderExceptionHandler();
            if (listeners is not null)
            {
                var tls = tlsFiles is null ? null : app.Services.GetRequiredService<TlsCertificateStore>();
                app.Use(next => new ServeEndpointGuard(next, tls).InvokeAsync);
            }

            app.MapLeptonExtender();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            if (started is not null)
            {
                var single = app.Urls.Select(u => new Uri(u)).ToList();
                started(listeners?.Addresses() ?? new ServeAddresses(single, single));
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (TlsFileException e)
        {
            await error.WriteLineAsync("lepton serve: " + e.Message).ConfigureAwait(false);
            return 2;
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
    /// <param name="predictor">The operator's duration predictor (<see cref="LoadPredictor"/>), or null for none; the host disposes it.</param>
    internal static void AddServices(IServiceCollection services, ServeSettings settings, KubernetesClientConfiguration? client, IDurationPredictor? predictor = null)
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
            if (predictor is not null)
            {
                // A factory registration, so the container disposes the ONNX session with the host.
                services.AddSingleton(_ => predictor);
            }
        }
    }

    /// <summary>
    /// Loads the operator's duration predictor (issue 14): <c>--predictor PATH</c>, else
    /// <see cref="LeptonModelOptions.DefaultPredictorPath"/>; <c>--predictor none</c> means none. A missing or unusable
    /// bundle is one warning line on <paramref name="error"/> and no predictor (the operator runs without predictions,
    /// each Training job gets a <c>PredictionUnavailable</c> Event), never a failed start.
    /// </summary>
    /// <param name="path">The <c>--predictor</c> value, or null.</param>
    /// <param name="error">Where the warning goes.</param>
    /// <returns>The loaded predictor, or null.</returns>
    internal static IDurationPredictor? LoadPredictor(string? path, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (string.Equals(path, ServeSettings.NoPredictor, StringComparison.Ordinal))
        {
            return null;
        }

        var loaded = OnnxDurationPredictor.Load(path ?? LeptonModelOptions.DefaultPredictorPath);
        if (loaded.IsLoaded)
        {
            return loaded;
        }

        error.WriteLine($"lepton serve: warning: {loaded.FailureMessage} The operator runs without run-time predictions (--predictor none turns this warning off).");
        loaded.Dispose();
        return null;
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
        if (settings.PredictorPath is { } predictor && string.IsNullOrWhiteSpace(predictor))
        {
            return "--predictor: give a .onnx bundle or none.";
        }

        GangQueueOrder? queueOrder = null;
        if (settings.QueueOrder is { } orderText)
        {
            if (orderText is not ("fifo" or "sjf-predicted"))
            {
                return $"--queue-order '{orderText}': use fifo or sjf-predicted.";
            }

            queueOrder = orderText == "fifo" ? GangQueueOrder.Fifo : GangQueueOrder.SjfPredicted;
        }

        if (!settings.UsesApiServer)
        {
            var stray = electionFlags.Where(f => f.Value is not null).Select(f => f.Flag)
                .Concat(settings.LeaderElect is not null ? ["--leader-elect"] : [])
                .Concat(settings.LeaseNamespace is not null ? ["--lease-namespace"] : [])
                .Concat(settings.PredictorPath is not null ? ["--predictor"] : [])
                .Concat(settings.QueueOrder is not null ? ["--queue-order"] : [])
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

        if (queueOrder is { } order)
        {
            configuration[OperatorOptions.SectionName + ":QueueOrder"] = order.ToString();
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

    /// <summary>
    /// Checks the listener and TLS flags: the three TLS files go together, exist and parse (a certificate with its
    /// key, a CA), the extender port is https with TLS and a plain metrics port is given.
    /// </summary>
    /// <param name="settings">The flags.</param>
    /// <param name="listeners">The split listeners, or null on a single port.</param>
    /// <param name="tls">The TLS files, or null without TLS.</param>
    /// <returns>A message naming the flag for the first problem, or null.</returns>
    internal static string? ValidateListeners(ServeSettings settings, out ServeListeners? listeners, out ServeTlsFiles? tls)
    {
        listeners = null;
        tls = null;
        var files = new (string Flag, string? Value)[] { ("--tls-cert-file", settings.TlsCertFile), ("--tls-key-file", settings.TlsKeyFile), ("--tls-client-ca-file", settings.TlsClientCaFile) };
        var missing = files.Where(f => f.Value is null).Select(f => f.Flag).ToList();
        if (settings.UsesTls && missing.Count > 0)
        {
            return $"--tls-cert-file, --tls-key-file and --tls-client-ca-file go together; missing {string.Join(", ", missing)}.";
        }

        if (!settings.UsesTls && settings.TlsClientIdentity is not null)
        {
            return "--tls-client-identity only applies with --tls-cert-file, --tls-key-file and --tls-client-ca-file.";
        }

        if (settings.TlsClientIdentity is { } identity && string.IsNullOrWhiteSpace(identity))
        {
            return "--tls-client-identity: give the client certificate's DNS SAN, e.g. lepton-scheduler.";
        }

        if (ServeListeners.TryParse(settings, out listeners) is { } problem)
        {
            return problem;
        }

        if (!settings.UsesTls)
        {
            return null;
        }

        tls = new ServeTlsFiles(
            Path.GetFullPath(settings.TlsCertFile!),
            Path.GetFullPath(settings.TlsKeyFile!),
            Path.GetFullPath(settings.TlsClientCaFile!),
            settings.TlsClientIdentity ?? Certificates.TlsDefaults.ClientIdentity);
        try
        {
            _ = TlsCertificateStore.Load(tls, TimeProvider.System);
            return null;
        }
        catch (TlsFileException e)
        {
            tls = null;
            return e.Message;
        }
    }

    /// <summary>Loads the API server configuration of <c>--kubeconfig</c> or <c>--in-cluster</c>.</summary>
    /// <param name="settings">The flags (only the cluster source is read).</param>
    /// <param name="client">The configuration, or null on a problem.</param>
    /// <returns>A message naming the flag, or null.</returns>
    internal static string? TryLoadClientConfiguration(ServeSettings settings, out KubernetesClientConfiguration? client)
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
