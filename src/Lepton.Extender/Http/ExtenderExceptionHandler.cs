using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Lepton.Extender.Http;

/// <summary>
/// The global backstop (<c>app.UseExceptionHandler()</c>): an exception that escapes a verb's
/// endpoint is answered with that verb's safe answer and HTTP 200, never 500.
/// </summary>
/// <param name="handler">Writes the safe answer.</param>
/// <param name="options">The extender options (the path prefix).</param>
internal sealed class ExtenderExceptionHandler(ExtenderRequestHandler handler, IOptions<ExtenderOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Response.HasStarted || VerbOf(httpContext.Request.Path, options.Value.PathPrefix) is not { } verb)
        {
            return false;
        }

        await handler.WriteSafeAnswerAsync(httpContext, verb, exception).ConfigureAwait(false);
        return true;
    }

    internal static ExtenderVerb? VerbOf(PathString path, string prefix)
    {
        var value = path.Value ?? string.Empty;
        if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value[prefix.Length..].TrimEnd('/').ToUpperInvariant() switch
        {
            "/FILTER" => ExtenderVerb.Filter,
            "/PRIORITIZE" => ExtenderVerb.Prioritize,
            "/BIND" => ExtenderVerb.Bind,
            "/PREEMPT" => ExtenderVerb.Preempt,
            _ => null,
        };
    }
}
