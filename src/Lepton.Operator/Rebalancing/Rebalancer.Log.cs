using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Rebalancing;

/// <content>Log messages of <see cref="Rebalancer"/>.</content>
public sealed partial class Rebalancer
{
    [LoggerMessage(3101, LogLevel.Information, "Rebalancer cycle skipped: {Reason}")]
    private static partial void LogCycleSkipped(ILogger logger, string reason);

    [LoggerMessage(3102, LogLevel.Information, "Rebalancer planned {Moves} moves: fragmentation {Before:0} -> {After:0} milli-GPU ({Fragmented} fragmented nodes, {Candidates} movable pods, dry run {DryRun})")]
    private static partial void LogPlanned(ILogger logger, int moves, double before, double after, int fragmented, int candidates, bool dryRun);

    [LoggerMessage(3103, LogLevel.Information, "Dry run: would evict {Pod} from {Source} (expected on {Target}), fragmentation -{Reduction:0} milli-GPU")]
    private static partial void LogDryRun(ILogger logger, string pod, string source, string target, double reduction);

    [LoggerMessage(3104, LogLevel.Information, "Evicted {Pod} from {Source} (expected on {Target}), fragmentation -{Reduction:0} milli-GPU")]
    private static partial void LogEvicted(ILogger logger, string pod, string source, string target, double reduction);

    [LoggerMessage(3105, LogLevel.Information, "Eviction of {Pod} refused by a PodDisruptionBudget; retrying {Retry}: {Message}")]
    private static partial void LogPdbBlocked(ILogger logger, string pod, string retry, string message);

    [LoggerMessage(3106, LogLevel.Warning, "Eviction of {Pod} failed (HTTP {StatusCode}); skipped: {Message}")]
    private static partial void LogEvictionFailed(ILogger logger, string pod, int statusCode, string message);

    [LoggerMessage(3107, LogLevel.Debug, "Pod {Pod} was gone or replaced before its eviction (HTTP {StatusCode})")]
    private static partial void LogPodGone(ILogger logger, string pod, int statusCode);
}
