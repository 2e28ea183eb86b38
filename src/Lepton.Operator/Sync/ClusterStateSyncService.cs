using Lepton.Operator.Hosting;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Sync;

/// <summary>
/// Runs the <see cref="ClusterStateSync"/> for the life of the host on every replica: subscribes to the
/// informers, marks the extender ready once both have synced, then forgets unconfirmed assumptions every
/// <see cref="OperatorOptions.ForgetInterval"/> on the injected clock and lets the
/// <see cref="IClusterStateMaintenance"/> hooks (gang reservations) run after each pass.
/// </summary>
public sealed partial class ClusterStateSyncService : LoopService
{
    private readonly ClusterStateSync _sync;
    private readonly ClusterState _state;
    private readonly IClusterStateMaintenance[] _maintenance;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="sync">The sync.</param>
    /// <param name="state">The cluster state.</param>
    /// <param name="maintenance">Hooks run after each forget pass.</param>
    /// <param name="options">The operator options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ClusterStateSyncService(
        ClusterStateSync sync,
        ClusterState state,
        IEnumerable<IClusterStateMaintenance> maintenance,
        IOptions<OperatorOptions> options,
        TimeProvider timeProvider,
        ILogger<ClusterStateSyncService> logger)
        : base(logger)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _sync = sync;
        _state = state;
        _maintenance = [.. maintenance];
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override string LoopName => "cluster-state-sync";

    /// <inheritdoc />
    protected override async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _sync.WaitForSyncAndMarkReadyAsync(stoppingToken).ConfigureAwait(false);
            var interval = _options.ForgetInterval;
            while (true)
            {
                await Task.Delay(interval, _timeProvider, stoppingToken).ConfigureAwait(false);
                var forgotten = _state.ForgetExpired();
                if (forgotten.Count > 0)
                {
                    LogForgotten(_logger, forgotten.Count, string.Join(", ", forgotten.Take(5).Select(p => p.Pod.Key)));
                }

                foreach (var hook in _maintenance)
                {
                    hook.Maintain();
                }
            }
        }
        finally
        {
            _sync.Dispose();
        }
    }
}
