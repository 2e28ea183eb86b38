using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Rebalancing;

/// <content>Log messages of <see cref="RebalanceEventRecorder"/>.</content>
public sealed partial class RebalanceEventRecorder
{
    [LoggerMessage(1, LogLevel.Warning, "Could not record event {Reason} on pod {Pod}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string pod, Exception exception);
}
