using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lepton.Cli.Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Cli.Serve;

/// <summary>
/// The extender port's certificates: the server certificate Kestrel presents (its
/// <c>ServerCertificateSelector</c> asks on every handshake) and the client CA that client certificates must
/// chain to. Both are re-read when their files change, checked at most once per <see cref="CheckInterval"/>
/// on the injected clock, so a Secret that cert-manager renews (kubelet swaps the mounted files) is served
/// without a restart. A file that cannot be read or parsed keeps the previous certificates and logs a warning.
/// </summary>
/// <remarks>
/// kube-scheduler re-reads its client certificate and key, but reads its CA file once: rotating the CA
/// needs a restart of kube-scheduler (Lepton picks up a new client CA file by itself).
/// </remarks>
internal sealed partial class TlsCertificateStore
{
    /// <summary>How often the files are compared with what is loaded.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly ServeTlsFiles _files;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private volatile Snapshot _current;
    private long _nextCheckTicks;

    private TlsCertificateStore(ServeTlsFiles files, TimeProvider time, ILogger logger, Snapshot first)
    {
        _files = files;
        _time = time;
        _logger = logger;
        _current = first;
        _nextCheckTicks = (time.GetUtcNow() + CheckInterval).UtcTicks;
    }

    /// <summary>The pinned client identity.</summary>
    public string ClientIdentity => _files.ClientIdentity;

    /// <summary>The server certificate to present now (re-read first when the check is due and the files changed).</summary>
    public X509Certificate2 ServerCertificate
    {
        get
        {
            RefreshIfDue();
            return _current.Server;
        }
    }

    /// <summary>Reads the files for the first time.</summary>
    /// <param name="files">The files.</param>
    /// <param name="time">The clock the reload checks run on.</param>
    /// <param name="logger">Where reload failures are logged (null: nowhere).</param>
    /// <returns>The store.</returns>
    /// <exception cref="TlsFileException">A file is missing or is not what its flag needs; the message names the flag.</exception>
    public static TlsCertificateStore Load(ServeTlsFiles files, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        return new TlsCertificateStore(files, time, logger ?? NullLogger.Instance, Parse(files, ReadTexts(files)));
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to the configured client CA (the only trust anchor: no system
    /// roots, no intermediates but those the client sent) and may be used for client authentication. Called
    /// during the handshake: a false return fails it.
    /// </summary>
    /// <param name="certificate">The client's certificate.</param>
    /// <param name="presented">The chain the client presented (its extra certificates are untrusted intermediates).</param>
    /// <returns>True when it chains.</returns>
    public bool IsTrustedClient(X509Certificate2 certificate, X509Chain? presented = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RefreshIfDue();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_current.ClientCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CertificateAuthority.ClientAuthOid));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.Equals(certificate))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        return chain.Build(certificate);
    }

    /// <summary>Why <paramref name="certificate"/> is not the pinned client, or null when it is.</summary>
    /// <param name="certificate">The client certificate of the connection (null: none was presented).</param>
    /// <returns>A message for the 403 answer, or null.</returns>
    public string? IdentityProblem(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return "a client certificate is required on the extender port.";
        }

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        if (names.Contains(_files.ClientIdentity, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var shown = names.Count == 0 ? "no DNS names" : "DNS names " + string.Join(", ", names.Take(4).Select(n => n.Length > 64 ? n[..64] : n));
        return $"client certificate identity refused: the extender accepts only '{_files.ClientIdentity}' (a DNS SAN), this certificate has {shown}.";
    }

    /// <summary>Compares the files with what is loaded when a check is due; loads them when they changed.</summary>
    public void RefreshIfDue()
    {
        var now = _time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextCheckTicks))
        {
            return;
        }

        lock (_gate)
        {
            if (now.UtcTicks < _nextCheckTicks)
            {
                return;
            }

            Interlocked.Exchange(ref _nextCheckTicks, (now + CheckInterval).UtcTicks);
            try
            {
                var texts = ReadTexts(_files);
                if (Hash(texts).AsSpan().SequenceEqual(_current.Contents))
                {
                    return;
                }

                _current = Parse(_files, texts);
                LogReloaded(_logger, _current.Server.Subject, _current.Server.NotAfter);
            }
            catch (TlsFileException e)
            {
                LogReloadFailed(_logger, e.Message);
            }
        }
    }

    /// <summary>The three files' texts, read once: what is hashed is what is parsed.</summary>
    private static (string Certificate, string Key, string Ca) ReadTexts(ServeTlsFiles files) =>
        (ReadText(files.CertificateFile, "--tls-cert-file"), ReadText(files.KeyFile, "--tls-key-file"), ReadText(files.ClientCaFile, "--tls-client-ca-file"));

    private static byte[] Hash((string Certificate, string Key, string Ca) texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var text in new[] { texts.Certificate, texts.Key, texts.Ca })
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        return hash.GetHashAndReset();
    }

    private static Snapshot Parse(ServeTlsFiles files, (string Certificate, string Key, string Ca) texts)
    {
        X509Certificate2 server;
        try
        {
            server = X509Certificate2.CreateFromPem(texts.Certificate, texts.Key);
        }
        catch (CryptographicException e)
        {
            throw new TlsFileException($"--tls-cert-file {files.CertificateFile} with --tls-key-file {files.KeyFile}: not a PEM certificate and its private key ({e.Message}).", e);
        }

        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(texts.Ca);
        }
        catch (CryptographicException e)
        {
            throw new TlsFileException($"--tls-client-ca-file {files.ClientCaFile}: not PEM certificates ({e.Message}).", e);
        }

        if (cas.Count == 0)
        {
            throw new TlsFileException($"--tls-client-ca-file {files.ClientCaFile}: holds no PEM certificate.");
        }

        return new Snapshot(server, cas, Hash(texts));
    }

    private static string ReadText(string path, string flag)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsFileException(e is FileNotFoundException or DirectoryNotFoundException ? $"{flag} {path}: no such file." : $"{flag} {path}: {e.Message}", e);
        }
    }

    private sealed record Snapshot(X509Certificate2 Server, X509Certificate2Collection ClientCas, byte[] Contents);
}
