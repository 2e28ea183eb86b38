using System.CommandLine;
using System.Globalization;
using k8s;
using k8s.Autorest;
using Lepton.Cli.Certificates;
using Lepton.Cli.Serve;

namespace Lepton.Cli.Commands;

/// <summary>
/// <c>lepton certs ensure</c>: creates the extender's mutual-TLS certificates at run time (DECISIONS.md 21), in
/// Secrets that are never overwritten, so later installs, upgrades and GitOps syncs keep them. The chart runs it
/// as a pre-install/pre-upgrade Job with its own service account.
/// </summary>
internal static class CertsCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="output">Where the outcome is written (default stdout).</param>
    /// <param name="error">Where problems are written (default stderr).</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter? output = null, TextWriter? error = null)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "The Secrets' namespace (default: $POD_NAMESPACE)." };
        var caSecret = new Option<string>("--ca-secret") { Description = "Secret of the CA's certificate and key (mounted by no pod).", Required = true };
        var serverSecret = new Option<string>("--server-secret") { Description = "Secret of Lepton's server certificate (tls.crt, tls.key, ca.crt).", Required = true };
        var clientSecret = new Option<string>("--client-secret") { Description = "Secret of kube-scheduler's client certificate (tls.crt, tls.key, ca.crt).", Required = true };
        var service = new Option<string>("--service")
        {
            Description = "The extender Service: the server certificate names <service>, <service>.<ns>, <service>.<ns>.svc and <service>.<ns>.svc.<cluster-domain>.",
            Required = true,
        };
        var dnsNames = new Option<string[]>("--dns-name") { Description = "A further DNS name of the server certificate (repeatable).", AllowMultipleArgumentsPerToken = false };
        var clusterDomain = new Option<string>("--cluster-domain") { Description = "The cluster's DNS domain.", DefaultValueFactory = _ => "cluster.local" };
        var identity = new Option<string>("--client-identity")
        {
            Description = "The client certificate's DNS SAN, the identity lepton serve pins (--tls-client-identity).",
            DefaultValueFactory = _ => TlsDefaults.ClientIdentity,
        };
        var validDays = new Option<int>("--valid-days") { Description = "Validity of the CA and certificates in days.", DefaultValueFactory = _ => 3650 };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "The API server of this kubeconfig." };
        var inCluster = new Option<bool>("--in-cluster") { Description = "The pod's service account (what the chart's Job uses)." };

        var ensure = new Command("ensure", "Create the CA, server and client Secrets that are missing; never overwrite one (a 409 means another caller won: its Secret is used).")
        {
            ns, caSecret, serverSecret, clientSecret, service, dnsNames, clusterDomain, identity, validDays, kubeconfig, inCluster,
        };
        ensure.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings { KubeconfigFile = result.GetValue(kubeconfig)?.FullName, InCluster = result.GetValue(inCluster) };
            var problem = settings.UsesApiServer && !(settings.KubeconfigFile is not null && settings.InCluster)
                ? ServeHost.TryLoadClientConfiguration(settings, out var configuration)
                : Fail("give exactly one of --kubeconfig FILE and --in-cluster.", out configuration);
            var namespaceName = result.GetValue(ns) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE");
            if (problem is null && string.IsNullOrEmpty(namespaceName))
            {
                problem = "--namespace: not given and $POD_NAMESPACE is not set.";
            }

            var days = result.GetValue(validDays);
            if (problem is null && days <= 0)
            {
                problem = $"--valid-days {days.ToString(CultureInfo.InvariantCulture)}: give a positive number of days.";
            }

            if (problem is not null)
            {
                await (error ?? Console.Error).WriteLineAsync("lepton certs ensure: " + problem).ConfigureAwait(false);
                return 2;
            }

            var request = new CertificateSecretsRequest
            {
                Names = new CertificateSecretNames
                {
                    Namespace = namespaceName!,
                    CaSecret = result.GetValue(caSecret)!,
                    ServerSecret = result.GetValue(serverSecret)!,
                    ClientSecret = result.GetValue(clientSecret)!,
                },
                ServerDnsNames = ServiceDnsNames(result.GetValue(service)!, namespaceName!, result.GetValue(clusterDomain)!, result.GetValue(dnsNames) ?? []),
                ClientIdentity = result.GetValue(identity)!,
                CaValidity = TimeSpan.FromDays(days),
                LeafValidity = TimeSpan.FromDays(days),
            };
            using var client = new k8s.Kubernetes(configuration!);
            return await RunAsync(new CertificateSecrets(client, TimeProvider.System), request, output ?? Console.Out, error ?? Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return new Command("certs", "Certificates of the extender's mutual TLS.") { ensure };
    }

    /// <summary>Ensures the Secrets and reports what happened.</summary>
    /// <param name="secrets">The Secret writer.</param>
    /// <param name="request">What to ensure.</param>
    /// <param name="output">Where each Secret's outcome is written.</param>
    /// <param name="error">Where warnings and failures are written.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>0 when the Secrets exist, 1 when the API server refused.</returns>
    internal static async Task<int> RunAsync(CertificateSecrets secrets, CertificateSecretsRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await secrets.EnsureAsync(request, cancellationToken).ConfigureAwait(false);
            var names = request.Names;
            await output.WriteLineAsync($"secret {names.Namespace}/{names.CaSecret}: {Describe(outcome.Ca)}").ConfigureAwait(false);
            await output.WriteLineAsync($"secret {names.Namespace}/{names.ServerSecret}: {Describe(outcome.Server)}").ConfigureAwait(false);
            await output.WriteLineAsync($"secret {names.Namespace}/{names.ClientSecret}: {Describe(outcome.Client)}").ConfigureAwait(false);
            foreach (var warning in outcome.Warnings)
            {
                await error.WriteLineAsync("lepton certs ensure: warning: " + warning).ConfigureAwait(false);
            }

            return 0;
        }
        catch (HttpOperationException e)
        {
            await error.WriteLineAsync($"lepton certs ensure: the API server answered {(int)e.Response.StatusCode}: {e.Response.Content}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The names a client may use for the Service, most specific last.</summary>
    /// <param name="service">The Service's name.</param>
    /// <param name="ns">Its namespace.</param>
    /// <param name="clusterDomain">The cluster's DNS domain.</param>
    /// <param name="extra">Further names.</param>
    /// <returns>The DNS names.</returns>
    internal static IReadOnlyList<string> ServiceDnsNames(string service, string ns, string clusterDomain, IEnumerable<string> extra) =>
        [.. new[] { $"{service}.{ns}.svc", service, $"{service}.{ns}", $"{service}.{ns}.svc.{clusterDomain}" }.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Describe(SecretOutcome outcome) => outcome switch
    {
        SecretOutcome.Created => "created",
        SecretOutcome.CreatedByAnother => "created by another caller at the same time; using it",
        _ => "exists; kept",
    };

    private static string Fail(string message, out KubernetesClientConfiguration? configuration)
    {
        configuration = null;
        return message;
    }
}
