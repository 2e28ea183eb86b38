using Lepton.Operator.LeaderElection;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Hosting;

/// <summary>Runs the <see cref="LeaseLeaderElector"/> for the life of the host; idles when leader election is disabled.</summary>
/// <param name="elector">The elector.</param>
/// <param name="timeProvider">The clock (to idle on).</param>
/// <param name="logger">The logger.</param>
public sealed class LeaderElectionHostedService(ILeaderElector elector, TimeProvider timeProvider, ILogger<LeaderElectionHostedService> logger) : LoopService(logger)
{
    /// <inheritdoc />
    protected override string LoopName => "leader-election";

    /// <inheritdoc />
    protected override async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        if (elector is LeaseLeaderElector lease)
        {
            await lease.RunAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken).ConfigureAwait(false);
    }
}
