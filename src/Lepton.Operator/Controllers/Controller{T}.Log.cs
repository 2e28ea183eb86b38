using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Controllers;

/// <content>Log messages of <see cref="Controller{T}"/>.</content>
public sealed partial class Controller<T>
{
    [LoggerMessage(2301, LogLevel.Information, "Controller {Controller} waits for caches: {Resources}")]
    private static partial void LogWaitingForSync(ILogger logger, string controller, string resources);

    [LoggerMessage(2302, LogLevel.Information, "Controller {Controller}: caches synced, {Queued} keys queued")]
    private static partial void LogSynced(ILogger logger, string controller, int queued);

    [LoggerMessage(2303, LogLevel.Information, "Controller {Controller} leads: starting {Workers} workers")]
    private static partial void LogStartingWorkers(ILogger logger, string controller, int workers);

    [LoggerMessage(2304, LogLevel.Warning, "Controller {Controller}: leadership lost, workers stopped")]
    private static partial void LogWorkersStopped(ILogger logger, string controller);

    [LoggerMessage(2305, LogLevel.Debug, "Controller {Controller}: reconcile of {Key} interrupted; kept for later")]
    private static partial void LogInterrupted(ILogger logger, string controller, NamespacedName key);

    [LoggerMessage(2306, LogLevel.Debug, "Controller {Controller}: conflict on {Key}, requeued: {Message}")]
    private static partial void LogConflict(ILogger logger, string controller, NamespacedName key, string message);

    [LoggerMessage(2307, LogLevel.Error, "Controller {Controller}: reconcile of {Key} failed terminally; not retried until the object changes")]
    private static partial void LogTerminal(ILogger logger, string controller, NamespacedName key, Exception exception);

    [LoggerMessage(2308, LogLevel.Error, "Controller {Controller}: reconcile of {Key} failed (retry {Retries}); retrying with backoff")]
    private static partial void LogFailed(ILogger logger, string controller, NamespacedName key, int retries, Exception exception);

    [LoggerMessage(2309, LogLevel.Information, "Controller {Controller}: work queue shut down; stopping")]
    private static partial void LogQueueShutDown(ILogger logger, string controller);

    [LoggerMessage(2310, LogLevel.Debug, "Controller {Controller}: resync enqueued {Objects} cached objects")]
    private static partial void LogResynced(ILogger logger, string controller, int objects);
}
