using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Sync;

/// <content>Log messages of <see cref="ClusterStateSyncService"/>.</content>
public sealed partial class ClusterStateSyncService
{
    [LoggerMessage(3401, LogLevel.Information, "Forgot {Count} assumed placements the cluster did not confirm in time: {Pods}")]
    private static partial void LogForgotten(ILogger logger, int count, string pods);
}
