using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Lepton.Cli.Serve;

/// <summary>
/// Keeps each path on its port when the ports are split (DECISIONS.md 21): <c>/metrics</c>, <c>/healthz</c> and
/// <c>/readyz</c> only on the metrics port, everything else (the verbs) only on the extender port, and, with TLS,
/// the verbs only for the pinned client identity. A certificate that does not chain to the client CA never gets
/// here (the handshake fails); one that chains but names another client gets 403 with the reason.
/// </summary>
/// <param name="next">The rest of the pipeline.</param>
/// <param name="tls">The extender port's certificates, or null for plain HTTP.</param>
internal sealed class ServeEndpointGuard(RequestDelegate next, TlsCertificateStore? tls)
{
    private static readonly PathString[] PlainPaths = ["/healthz", "/readyz", "/metrics"];

    /// <summary>Runs the checks.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The pipeline's task.</returns>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ServeListeners.RoleItem, out var value) == true && value is ListenerRole r
            ? r
            : ListenerRole.Extender;
        var plain = PlainPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));
        if (role == ListenerRole.Metrics)
        {
            return plain ? next(context) : RefuseAsync(context, StatusCodes.Status404NotFound, "the metrics port serves /metrics, /healthz and /readyz only; the extender verbs are on the extender port.");
        }

        if (plain)
        {
            return RefuseAsync(context, StatusCodes.Status404NotFound, "/metrics, /healthz and /readyz are served on the metrics port.");
        }

        if (tls?.IdentityProblem(context.Connection.ClientCertificate) is { } problem)
        {
            context.Response.Headers.Connection = "close";
            return RefuseAsync(context, StatusCodes.Status403Forbidden, problem);
        }

        return next(context);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
