using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Verbs;

/// <content>Log messages.</content>
public sealed partial class LeptonExtender
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Verb}: cannot map the request's pod: {Reason}")]
    private static partial void LogUnmappablePod(ILogger logger, string verb, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "prioritize: policy {Policy} failed for pod {Pod}; every node scores 0")]
    private static partial void LogScoringFailed(ILogger logger, string policy, string pod, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bind: binding pod {Pod} to node {Node} failed; assumption undone")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "bind: pod {Pod} bound to node {Node}, cards [{Cards}]")]
    private static partial void LogBound(ILogger logger, string pod, string node, string cards);
}
