using Lepton.Operator.Hosting;
using Lepton.Operator.LeaderElection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// Runs <see cref="Rebalancer"/> cycles every <see cref="RebalancerOptions.Interval"/> (on the injected
/// <see cref="TimeProvider"/>) while this replica leads; the first cycle of a term runs one interval after
/// leadership starts, so the caches have settled. Idles when <see cref="RebalancerOptions.Enabled"/> is false.
/// An unexpected failure stops the host (<see cref="LoopService"/>).
/// </summary>
public sealed partial class RebalancerService : LoopService
{
    private readonly Rebalancer _rebalancer;
    private readonly ILeaderElector _elector;
    private readonly RebalancerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="rebalancer">The rebalancer.</param>
    /// <param name="elector">Tells whether this replica leads.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock the interval runs on.</param>
    /// <param name="logger">The logger.</param>
    public RebalancerService(Rebalancer rebalancer, ILeaderElector elector, IOptions<RebalancerOptions> options, TimeProvider timeProvider, ILogger<RebalancerService> logger)
        : base(logger)
    {
        ArgumentNullException.ThrowIfNull(rebalancer);
        ArgumentNullException.ThrowIfNull(elector);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _rebalancer = rebalancer;
        _elector = elector;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override string LoopName => "rebalancer";

    /// <inheritdoc />
    protected override async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            var term = await _elector.WaitForLeadershipAsync(stoppingToken).ConfigureAwait(false);
            using var lead = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term);
            LogLeading(_logger, _options.Interval, _options.DryRun);
            try
            {
                while (true)
                {
                    await Task.Delay(_options.Interval, _time, lead.Token).ConfigureAwait(false);
                    await _rebalancer.RunCycleAsync(lead.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                LogLeadershipLost(_logger);
            }
        }
    }
}
