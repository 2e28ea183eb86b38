using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Fragmentation;

/// <content>Log messages.</content>
internal sealed partial class TypicalMixRefreshService
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Typical-task mix refreshed: built-in {BuiltIn}, {Classes} classes")]
    private static partial void LogMixRefreshed(ILogger logger, bool builtIn, int classes);
}
