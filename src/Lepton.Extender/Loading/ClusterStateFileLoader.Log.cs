using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Loading;

/// <content>Log messages.</content>
public sealed partial class ClusterStateFileLoader
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Loaded cluster state from {Path}: {Nodes} nodes, {Pods} bound pods, {Pending} pending pods")]
    private static partial void LogLoaded(ILogger logger, string path, int nodes, int pods, int pending);
}
