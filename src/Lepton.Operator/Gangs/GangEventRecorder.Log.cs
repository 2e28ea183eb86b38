using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Gangs;

/// <content>Log messages of <see cref="GangEventRecorder"/>.</content>
public sealed partial class GangEventRecorder
{
    [LoggerMessage(1, LogLevel.Warning, "Could not record event {Reason} on {Object}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string @object, Exception exception);
}
