using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Controllers.Informers;

/// <content>Log messages of <see cref="ResourceInformer{T}"/>.</content>
public sealed partial class ResourceInformer<T>
{
    [LoggerMessage(2401, LogLevel.Information, "Listed {Resource}: {Count} objects in {Pages} pages at resourceVersion {ResourceVersion}, {Changes} changes applied")]
    private static partial void LogListed(ILogger logger, string resource, int count, int pages, string resourceVersion, int changes);

    [LoggerMessage(2402, LogLevel.Debug, "Watching {Resource} from resourceVersion {ResourceVersion} (server timeout {Timeout})")]
    private static partial void LogWatching(ILogger logger, string resource, string resourceVersion, TimeSpan timeout);

    [LoggerMessage(2403, LogLevel.Debug, "Watch of {Resource} ended at resourceVersion {ResourceVersion} after {Events} events")]
    private static partial void LogWatchEnded(ILogger logger, string resource, string resourceVersion, int events);

    [LoggerMessage(2404, LogLevel.Information, "resourceVersion {ResourceVersion} of {Resource} expired (410 Gone); relisting")]
    private static partial void LogExpired(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(2405, LogLevel.Warning, "The {Operation} of {Resource} failed; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string resource, string operation, TimeSpan delay, Exception exception);

    [LoggerMessage(2406, LogLevel.Warning, "The watch of {Resource} went silent past its timeout at resourceVersion {ResourceVersion}; reconnecting")]
    private static partial void LogWatchAbandoned(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(2407, LogLevel.Critical, "The {Resource} informer failed and stops")]
    private static partial void LogFailed(ILogger logger, string resource, Exception exception);
}
