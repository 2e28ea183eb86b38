using Lepton.Extender.Http;
using Lepton.Scheduling.Readiness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lepton.Extender;

/// <summary>Maps the extender's HTTP surface (house style 20).</summary>
public static class ExtenderEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST {prefix}/filter</c>, <c>/prioritize</c>, <c>/bind</c>, <c>/preempt</c>, and
    /// <c>GET /healthz</c> (the process is alive), <c>/readyz</c> (200 once the cluster state is
    /// loaded or synced, else 503 with the reason) and <c>/metrics</c> (Prometheus).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapLeptonExtender(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var prefix = services.GetRequiredService<IOptions<ExtenderOptions>>().Value.PathPrefix;
        var handler = services.GetRequiredService<ExtenderRequestHandler>();
        var readiness = services.GetRequiredService<IClusterStateReadiness>();
        var registry = services.GetRequiredService<CollectorRegistry>();

        endpoints.MapPost(prefix + "/filter", context => handler.HandleAsync(context, ExtenderVerb.Filter));
        endpoints.MapPost(prefix + "/prioritize", context => handler.HandleAsync(context, ExtenderVerb.Prioritize));
        endpoints.MapPost(prefix + "/bind", context => handler.HandleAsync(context, ExtenderVerb.Bind));
        endpoints.MapPost(prefix + "/preempt", context => handler.HandleAsync(context, ExtenderVerb.Preempt));
        endpoints.MapGet("/healthz", context => PlainAsync(context, StatusCodes.Status200OK, "ok"));
        endpoints.MapGet("/readyz", context => readiness.IsReady
            ? PlainAsync(context, StatusCodes.Status200OK, "ok")
            : PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: " + readiness.Reason));
        endpoints.MapMetrics("/metrics", registry);
        return endpoints;
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
