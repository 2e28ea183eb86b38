using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Verbs;

/// <content>Log messages.</content>
public sealed partial class LeptonExtender
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "{Verb}: cannot map the request's pod: {Reason}")]
    private static partial void LogUnmappablePod(ILogger logger, string verb, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "prioritize: policy {Policy} failed for pod {Pod}; every node scores 0")]
    private static partial void LogScoringFailed(ILogger logger, string policy, string pod, Exception exception);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "bind: binding pod {Pod} to node {Node} failed; assumption undone")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, Exception exception);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "bind: binding pod {Pod} to node {Node} ended without an outcome ({Cause}); the assumption is kept until the cluster shows it")]
    private static partial void LogBindOutcomeUnknown(ILogger logger, string pod, string node, string cause);

    // Debug: one line per bind would be most of the log at Information (issue 12: 1,000 requests, fewer than 10 lines).
    [LoggerMessage(EventId = 1405, Level = LogLevel.Debug, Message = "bind: pod {Pod} bound to node {Node}, cards [{Cards}]")]
    private static partial void LogBound(ILogger logger, string pod, string node, string cards);
}
