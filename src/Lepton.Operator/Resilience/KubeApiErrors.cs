using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using Polly.Timeout;

namespace Lepton.Operator.Resilience;

/// <summary>Classifies exceptions from Kubernetes API calls.</summary>
public static class KubeApiErrors
{
    /// <summary>Returns the HTTP status of an API error, or null when <paramref name="exception"/> carries none.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The status code.</returns>
    public static HttpStatusCode? StatusCode(Exception? exception) => exception switch
    {
        HttpOperationException { Response: { } response } => response.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    /// <summary>Returns whether <paramref name="exception"/> is a 409 Conflict (including AlreadyExists).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True for a conflict.</returns>
    public static bool IsConflict(Exception? exception)
        => exception is ConflictException || StatusCode(exception) == HttpStatusCode.Conflict;

    /// <summary>Returns whether <paramref name="exception"/> is a 404 Not Found.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True for not found.</returns>
    public static bool IsNotFound(Exception? exception) => StatusCode(exception) == HttpStatusCode.NotFound;

    /// <summary>Returns whether <paramref name="exception"/> is a 410 Gone (an expired resourceVersion or continue token).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True for gone.</returns>
    public static bool IsGone(Exception? exception) => StatusCode(exception) == HttpStatusCode.Gone;

    /// <summary>
    /// Returns whether retrying the same call may succeed: 5xx, 429 Too Many Requests, 408, transport errors
    /// (<see cref="HttpRequestException"/>, <see cref="IOException"/>), a per-attempt timeout, or an
    /// <see cref="HttpClient"/> timeout. A 409 Conflict is not transient: the caller must read again.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="callerToken">The caller's token: a cancellation it requested is never transient.</param>
    /// <returns>True when a retry may help.</returns>
    public static bool IsTransient(Exception? exception, CancellationToken callerToken = default)
    {
        switch (exception)
        {
            case null:
                return false;
            case TimeoutRejectedException or TimeoutException or HttpRequestException or IOException:
                return true;
            case OperationCanceledException:
                // HttpClient.Timeout surfaces as TaskCanceledException; the caller's own cancellation does not count.
                return !callerToken.IsCancellationRequested;
        }

        var status = StatusCode(exception);
        return status is not null && ((int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout);
    }

    /// <summary>Returns the server's <c>Retry-After</c> hint (seconds) of a 429 or 5xx, if any.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The hinted delay.</returns>
    public static TimeSpan? RetryAfter(Exception? exception)
    {
        if (exception is not HttpOperationException { Response.Headers: { } headers })
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase)
                && values.FirstOrDefault() is { } value
                && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }
}
