using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Lepton.Cli.Serve;

/// <summary>
/// <c>lepton serve</c>'s two kinds of listener when the ports are split (<c>--metrics-urls</c>, required with TLS):
/// the extender port (<c>--urls</c>; with TLS it demands a client certificate that chains to the client CA) and
/// the plain metrics port. Each connection is tagged with its <see cref="ListenerRole"/>, which
/// <see cref="ServeEndpointGuard"/> reads: a tag on the connection, not the Host header a client chooses.
/// </summary>
internal sealed class ServeListeners
{
    /// <summary>The connection item that holds the connection's <see cref="ListenerRole"/>.</summary>
    public const string RoleItem = "Lepton.Cli.Serve.ListenerRole";

    private readonly List<(BindingAddress Address, ListenerRole Role)> _addresses;
    private readonly List<(ListenOptions Options, BindingAddress Address, ListenerRole Role)> _bound = [];

    private ServeListeners(List<(BindingAddress, ListenerRole)> addresses) => _addresses = addresses;

    /// <summary>Parses <c>--urls</c> and <c>--metrics-urls</c> when the ports are split.</summary>
    /// <param name="settings">The flags.</param>
    /// <param name="listeners">The listeners, or null on one port (no TLS, no <c>--metrics-urls</c>: Kestrel's own <c>UseUrls</c>).</param>
    /// <returns>A message naming the flag for the first problem, or null.</returns>
    public static string? TryParse(ServeSettings settings, out ServeListeners? listeners)
    {
        ArgumentNullException.ThrowIfNull(settings);
        listeners = null;
        if (!settings.UsesTls && settings.MetricsUrls is null)
        {
            foreach (var url in Split(settings.Urls))
            {
                if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                {
                    return $"--urls {url}: https needs --tls-cert-file, --tls-key-file and --tls-client-ca-file (the extender port serves mutual TLS or plain HTTP).";
                }
            }

            return null;
        }

        if (settings.MetricsUrls is null)
        {
            return "TLS on the extender port needs --metrics-urls (e.g. http://0.0.0.0:9090): kubelet probes and Prometheus present no client certificate.";
        }

        var addresses = new List<(BindingAddress, ListenerRole)>();
        var scheme = settings.UsesTls ? "https" : "http";
        foreach (var (flag, value, role, wanted) in new[]
                 {
                     ("--urls", settings.Urls, ListenerRole.Extender, scheme),
                     ("--metrics-urls", settings.MetricsUrls, ListenerRole.Metrics, "http"),
                 })
        {
            var urls = Split(value).ToList();
            if (urls.Count == 0)
            {
                return $"{flag}: give at least one address.";
            }

            foreach (var url in urls)
            {
                if (Parse(flag, url, wanted, settings.UsesTls, out var address) is { } problem)
                {
                    return problem;
                }

                addresses.Add((address!, role));
            }
        }

        listeners = new ServeListeners(addresses);
        return null;
    }

    /// <summary>Adds a Kestrel listener per address, tagging connections with their role.</summary>
    /// <param name="kestrel">Kestrel's options.</param>
    /// <param name="tls">The extender port's certificates, or null for plain HTTP.</param>
    public void Configure(KestrelServerOptions kestrel, TlsCertificateStore? tls)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        foreach (var (address, role) in _addresses)
        {
            void Listen(ListenOptions options)
            {
                _bound.Add((options, address, role));
                options.Use(next => connection =>
                {
                    connection.Items[RoleItem] = role;
                    return next(connection);
                });
                if (role == ListenerRole.Extender && tls is not null)
                {
                    // HTTP/1.1 only, as on plain HTTP: a standby's refusal (DECISIONS.md 19) and a 403 close the
                    // connection with `Connection: close`, which HTTP/2 (offered by ALPN otherwise) cannot carry.
                    options.Protocols = HttpProtocols.Http1;
                    options.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, _) => tls.ServerCertificate,
                        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                        ClientCertificateValidation = (certificate, chain, _) => tls.IsTrustedClient(certificate, chain),
                    });
                }
            }

            switch (address.Host)
            {
                case "localhost":
                    kestrel.ListenLocalhost(address.Port, Listen);
                    break;
                case "*" or "+":
                    kestrel.ListenAnyIP(address.Port, Listen);
                    break;
                default:
                    kestrel.Listen(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port, Listen);
                    break;
            }
        }
    }

    /// <summary>The addresses bound after the host started (ports resolved where 0 was asked).</summary>
    /// <returns>The addresses by role.</returns>
    public ServeAddresses Addresses()
    {
        Uri UriOf(ListenOptions options, BindingAddress address) =>
            options.IPEndPoint is { } endpoint
                ? new Uri(string.Create(CultureInfo.InvariantCulture, $"{address.Scheme}://{(endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString())}:{endpoint.Port}/"))
                : new Uri(string.Create(CultureInfo.InvariantCulture, $"{address.Scheme}://localhost:{address.Port}/"));
        return new ServeAddresses(
            [.. _bound.Where(b => b.Role == ListenerRole.Extender).Select(b => UriOf(b.Options, b.Address))],
            [.. _bound.Where(b => b.Role == ListenerRole.Metrics).Select(b => UriOf(b.Options, b.Address))]);
    }

    private static string? Parse(string flag, string url, string scheme, bool tls, out BindingAddress? address)
    {
        address = null;
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            return $"{flag} {url}: {e.Message}";
        }

        if (!string.Equals(parsed.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            return scheme == "https"
                ? $"{flag} {url}: with TLS the extender port is https://."
                : flag == "--urls" && !tls
                    ? $"{flag} {url}: https needs --tls-cert-file, --tls-key-file and --tls-client-ca-file."
                    : $"{flag} {url}: the metrics port is plain http:// (no client certificates).";
        }

        if (parsed.IsUnixPipe || parsed.PathBase.Length > 0 || parsed.Port is < 0 or > 65535)
        {
            return $"{flag} {url}: give scheme://host:port, without a path.";
        }

        if (parsed.Host is not ("localhost" or "*" or "+") && !IPAddress.TryParse(parsed.Host.Trim('[', ']'), out _))
        {
            return $"{flag} {url}: the host must be an IP address, localhost or *.";
        }

        address = parsed;
        return null;
    }

    private static IEnumerable<string> Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
