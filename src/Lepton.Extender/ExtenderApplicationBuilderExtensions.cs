using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lepton.Extender;

/// <summary>Middleware of the extender's web host.</summary>
public static class ExtenderApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the global exception handler: an exception escaping a verb's endpoint is answered with
    /// that verb's safe answer and HTTP 200 (DECISIONS.md 6); other paths get a plain 500.
    /// Call it first in the pipeline.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseLeptonExtenderExceptionHandler(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Reached only when ExtenderExceptionHandler (an IExceptionHandler) declined: not a verb.
            ExceptionHandler = context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("internal error\n", context.RequestAborted);
            },
        });
    }
}
