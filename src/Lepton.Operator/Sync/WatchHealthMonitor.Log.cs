using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Sync;

/// <content>Log messages.</content>
public sealed partial class WatchHealthMonitor
{
    [LoggerMessage(3501, LogLevel.Warning, "Not ready: {Reason}")]
    private static partial void LogUnready(ILogger logger, string reason);

    [LoggerMessage(3502, LogLevel.Information, "Every watch is healthy again; ready")]
    private static partial void LogRecovered(ILogger logger);
}
