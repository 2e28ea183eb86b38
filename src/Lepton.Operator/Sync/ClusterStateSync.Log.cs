using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Sync;

/// <content>Log messages of <see cref="ClusterStateSync"/>.</content>
public sealed partial class ClusterStateSync
{
    [LoggerMessage(3301, LogLevel.Information, "Cluster state synced: {Nodes} nodes, {Pods} pods accounted; the extender is ready")]
    private static partial void LogSynced(ILogger logger, int nodes, int pods);

    [LoggerMessage(3302, LogLevel.Warning, "Node {Node} skipped: {Reason}")]
    private static partial void LogUnmappableNode(ILogger logger, string? node, string reason);

    [LoggerMessage(3303, LogLevel.Warning, "Pod {Namespace}/{Name} skipped: {Reason}")]
    private static partial void LogUnmappablePod(ILogger logger, string? @namespace, string? name, string reason);
}
