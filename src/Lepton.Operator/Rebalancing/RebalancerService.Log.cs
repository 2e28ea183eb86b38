using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Rebalancing;

/// <content>Log messages of <see cref="RebalancerService"/>.</content>
public sealed partial class RebalancerService
{
    [LoggerMessage(3201, LogLevel.Information, "Rebalancer disabled (Lepton:Rebalancer:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(3202, LogLevel.Information, "Rebalancer running every {Interval} while leading (dry run {DryRun})")]
    private static partial void LogLeading(ILogger logger, TimeSpan interval, bool dryRun);

    [LoggerMessage(3203, LogLevel.Information, "Rebalancer paused: leadership lost")]
    private static partial void LogLeadershipLost(ILogger logger);
}
