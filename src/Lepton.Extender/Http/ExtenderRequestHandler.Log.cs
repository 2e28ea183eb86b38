using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Http;

/// <content>Log messages.</content>
public sealed partial class ExtenderRequestHandler
{
    // Information, not Warning: a client's bad request is not this replica's trouble, and the
    // reason is bounded (JsonErrorText.MaxLength) and carries nothing invalid (issue 12).
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "{Verb}: request refused with {Status} ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, string verb, int status, string reason, string detail);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Verb}: the request deadline passed after {Seconds:0.###} s; answered with the verb's degraded answer")]
    private static partial void LogDeadline(ILogger logger, string verb, double seconds);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "{Verb}: refused, this replica is not serving ({Reason}); the connection is closed")]
    private static partial void LogStandby(ILogger logger, string verb, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "{Verb}: unexpected failure; answered with the verb's safe answer")]
    private static partial void LogUnhandled(ILogger logger, string verb, Exception exception);
}
