using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Events;

/// <content>Log messages.</content>
public sealed partial class EventRecorder
{
    [LoggerMessage(2501, LogLevel.Debug, "Event {Reason} on {Object} dropped: the object's event rate limit is spent")]
    private static partial void LogRateLimited(ILogger logger, string reason, string @object);
}
