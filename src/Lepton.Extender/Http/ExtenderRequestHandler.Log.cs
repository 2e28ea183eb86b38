using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Http;

/// <content>Log messages.</content>
public sealed partial class ExtenderRequestHandler
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Verb}: request rejected with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string verb, int status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Verb}: refused, this replica is not serving ({Reason}); the connection is closed")]
    private static partial void LogStandby(ILogger logger, string verb, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Verb}: unexpected failure; answered with the verb's safe answer")]
    private static partial void LogUnhandled(ILogger logger, string verb, Exception exception);
}
