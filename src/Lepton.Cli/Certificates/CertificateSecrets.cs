using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lepton.Cli.Certificates;

/// <summary>
/// Creates the extender's CA, server and client Secrets when they are missing, and never overwrites one
/// (DECISIONS.md 21): certificates are made once at run time, so <c>helm template</c>, GitOps syncs and
/// upgrades keep them. Every write is a create; a 409 means another caller (a second install, a retried
/// Job) won the race, and its Secret is read back and used, so concurrent callers end with one CA.
/// </summary>
/// <remarks>
/// Order: the CA first (create-if-absent), then the server and client certificates, each issued by the CA
/// that is stored, whoever stored it. The CA's key stays in its own Secret, mounted by no pod; the server
/// pod mounts only the server Secret and kube-scheduler only the client Secret.
/// </remarks>
internal sealed class CertificateSecrets(IKubernetes client, TimeProvider time)
{
    /// <summary>The certificate key of a <c>kubernetes.io/tls</c> Secret.</summary>
    public const string CertificateKey = "tls.crt";

    /// <summary>The private key's key of a <c>kubernetes.io/tls</c> Secret.</summary>
    public const string PrivateKeyKey = "tls.key";

    /// <summary>The CA certificate's key, as cert-manager writes it.</summary>
    public const string CaKey = "ca.crt";

    private const string ManagedBy = "lepton-certs";

    /// <summary>Ensures the three Secrets exist; creates what is missing.</summary>
    /// <param name="request">Names, DNS names and validity.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What happened to each Secret.</returns>
    /// <exception cref="HttpOperationException">The API server refused a read or create (other than 404 on read, 409 on create).</exception>
    public async Task<CertificateSecretsResult> EnsureAsync(CertificateSecretsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.Names;
        var warnings = new List<string>();

        CertificateAuthority? fresh = null;
        var (caSecret, caOutcome) = await EnsureSecretAsync(
            names.Namespace,
            names.CaSecret,
            () =>
            {
                fresh = CertificateAuthority.Create("lepton-ca", request.CaValidity, time);
                return fresh.Pair;
            },
            caPem: null,
            cancellationToken).ConfigureAwait(false);
        var caPair = PairOf(caSecret) ?? throw new InvalidOperationException($"Secret {names.Namespace}/{names.CaSecret} has no {CertificateKey} and {PrivateKeyKey}.");
        var ca = caOutcome == SecretOutcome.Created && fresh is not null ? fresh : CertificateAuthority.FromPem(caPair, time);

        var (server, serverOutcome) = await EnsureSecretAsync(
            names.Namespace, names.ServerSecret, () => ca.IssueServer(request.ServerDnsNames, request.LeafValidity), ca.Pair.CertificatePem, cancellationToken).ConfigureAwait(false);
        var (clientSecret, clientOutcome) = await EnsureSecretAsync(
            names.Namespace, names.ClientSecret, () => ca.IssueClient(request.ClientIdentity, request.LeafValidity), ca.Pair.CertificatePem, cancellationToken).ConfigureAwait(false);

        foreach (var (secret, name) in new[] { (server, names.ServerSecret), (clientSecret, names.ClientSecret) })
        {
            if (Text(secret, CaKey) is { } kept && !SamePem(kept, ca.Pair.CertificatePem))
            {
                warnings.Add($"Secret {names.Namespace}/{name} was kept, but its {CaKey} is not the CA in {names.CaSecret}; delete it to have it issued again.");
            }
        }

        return new CertificateSecretsResult(caOutcome, serverOutcome, clientOutcome, warnings);
    }

    private async Task<(V1Secret Secret, SecretOutcome Outcome)> EnsureSecretAsync(
        string ns, string name, Func<PemKeyPair> issue, string? caPem, CancellationToken cancellationToken)
    {
        if (await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, SecretOutcome.Kept);
        }

        var pair = issue();
        var body = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = ManagedBy },
            },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                [CertificateKey] = Encoding.UTF8.GetBytes(pair.CertificatePem),
                [PrivateKeyKey] = Encoding.UTF8.GetBytes(pair.KeyPem),
                [CaKey] = Encoding.UTF8.GetBytes(caPem ?? pair.CertificatePem),
            },
        };
        try
        {
            var created = await client.CoreV1.CreateNamespacedSecretAsync(body, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (created, SecretOutcome.Created);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Another caller created it after our read: theirs stands.
            var theirs = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Secret {ns}/{name}: create answered 409 AlreadyExists, then a read found nothing.", e);
            return (theirs, SecretOutcome.CreatedByAnother);
        }
    }

    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static PemKeyPair? PairOf(V1Secret secret) =>
        Text(secret, CertificateKey) is { } certificate && Text(secret, PrivateKeyKey) is { } key ? new PemKeyPair(certificate, key) : null;

    private static string? Text(V1Secret secret, string key) =>
        secret.Data is not null && secret.Data.TryGetValue(key, out var bytes) && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : null;

    private static bool SamePem(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
}
