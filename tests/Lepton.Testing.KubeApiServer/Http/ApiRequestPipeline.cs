using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Diagnostics;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>
/// Every request goes through here: classify it, record it, apply injected latency and failures, serve
/// discovery or the resource, and turn every failure into a <c>v1 Status</c>.
/// </summary>
internal sealed partial class ApiRequestPipeline(
    ResourceHandler resources,
    DiscoveryDocuments discovery,
    FaultInjector faults,
    RequestLog log,
    TimeProvider time,
    Func<string> serverAddress,
    ILogger<ApiRequestPipeline> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var path = request.Path.Value ?? "/";
        var info = RequestInfoParser.Parse(request.Method, path, key => request.Query.TryGetValue(key, out var v) ? v.ToString() : null);
        var arrived = time.GetUtcNow();
        var recorded = 0;
        void Record()
        {
            // Once per request, at the latest when the response starts: a client never sees a response
            // whose request is not in the log yet.
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                log.Add(new RequestRecord(
                    arrived,
                    request.Method,
                    path,
                    request.QueryString.Value ?? "",
                    info.Verb,
                    info.ApiGroup,
                    info.ApiVersion,
                    info.Resource,
                    info.Subresource,
                    info.Namespace,
                    info.Name,
                    request.Headers.UserAgent.ToString(),
                    context.Response.StatusCode,
                    info.IsResourceRequest));
            }
        }

        context.Response.OnStarting(() =>
        {
            Record();
            return Task.CompletedTask;
        });
        try
        {
            if (info.IsResourceRequest)
            {
                var latency = faults.LatencyFor(info.Verb, info.Resource, info.Subresource);
                if (latency > TimeSpan.Zero)
                {
                    await faults.DelayAsync(latency, time, cancellationToken).ConfigureAwait(false);
                }

                if (faults.TryConsumeFailure(info.Verb, info.ApiGroup, info.Resource, info.Subresource) is { } rule)
                {
                    throw ApiErrors.ForCode(rule.StatusCode, rule.Message);
                }

                await resources.HandleAsync(context, info, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ServeNonResourceAsync(context, path, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var error = e switch
            {
                KubeApiException api => api,
                JsonException json => ApiErrors.BadRequest(json.Message),
                FormatException format => ApiErrors.BadRequest(format.Message),
                _ => null,
            };
            if (error is null)
            {
                // A bug in the test double, not an API error: say so loudly, and still answer like a server would.
                Log.UnexpectedFailure(logger, request.Method, path, e);
                error = ApiErrors.Internal(e.GetType().Name + ": " + e.Message);
            }
            else
            {
                Log.ApiError(logger, request.Method, path, error.Code, error.Reason, error.Message);
            }

            await HttpJson.WriteStatusAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Record();
        }
    }

    private async Task ServeNonResourceAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode? document = parts switch
        {
            ["version"] => discovery.Version(),
            ["api"] => DiscoveryDocuments.CoreVersions(serverAddress()),
            ["api", var version] => discovery.ResourceList("", version),
            ["apis"] => discovery.GroupList(),
            ["apis", var group] => discovery.Group(group),
            ["apis", var group, var version] => discovery.ResourceList(group, version),
            ["openapi", "v3"] => discovery.OpenApiV3Index(),
            ["openapi", "v3", .. var rest] => discovery.OpenApiV3Document(string.Join('/', rest)),
            _ => null,
        };

        if (document is not null)
        {
            await HttpJson.WriteAsync(context.Response, 200, document, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (parts is ["healthz" or "livez" or "readyz", ..])
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", cancellationToken).ConfigureAwait(false);
            return;
        }

        throw ApiErrors.NotFoundPath();
    }
}
