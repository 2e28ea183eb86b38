using System.Globalization;
using Lepton.Operator.Controllers.Informers;
using Lepton.Scheduling.Readiness;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Sync;

/// <summary>
/// Turns the replica unready while its watches fail: when any watched informer (the operator passes the Node and Pod
/// informers, whose caches the extender filters with) has had its list or watch failing longer
/// than <see cref="WatchHealthOptions.FailureBound"/> (<see cref="IInformer.FailingSince"/> on the injected clock),
/// <see cref="Check"/> marks the <see cref="IClusterStateReadiness"/> not ready with the informer and its last error,
/// so <c>/readyz</c> answers 503 and the Service stops sending traffic to a replica filtering from a stale cache;
/// once every informer is healthy again it marks it ready. It never marks ready what the
/// <see cref="ClusterStateSync"/> has not marked ready first (the initial sync), and it leaves leader election alone:
/// a leader that cannot renew its Lease steps down as before.
/// </summary>
public sealed partial class WatchHealthMonitor
{
    private readonly IInformer[] _informers;
    private readonly IClusterStateReadiness _readiness;
    private readonly Func<bool> _synced;
    private readonly WatchHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _markedUnready;

    /// <summary>Creates the monitor.</summary>
    /// <param name="informers">The informers whose health decides readiness.</param>
    /// <param name="readiness">The readiness <c>/readyz</c> answers from.</param>
    /// <param name="synced">Whether the initial sync marked the replica ready.</param>
    /// <param name="options">The bound.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public WatchHealthMonitor(IEnumerable<IInformer> informers, IClusterStateReadiness readiness, Func<bool> synced, WatchHealthOptions options, TimeProvider time, ILogger<WatchHealthMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(synced);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _informers = [.. informers];
        _readiness = readiness;
        _synced = synced;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether this monitor holds the replica unready now.</summary>
    public bool HoldsUnready => _markedUnready;

    /// <summary>Looks at every informer once and marks readiness accordingly.</summary>
    /// <returns>True when the replica is held unready because of a failing watch.</returns>
    public bool Check()
    {
        var now = _time.GetUtcNow();
        var failing = _informers
            .Select(i => (Informer: i, Since: i.FailingSince))
            .Where(x => x.Since is { } since && now - since >= _options.FailureBound)
            .OrderBy(x => x.Since)
            .FirstOrDefault();
        if (failing.Informer is { } informer)
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"the {informer.ResourceName} watch has been failing for {(now - failing.Since!.Value).TotalSeconds:0}s (bound {_options.FailureBound.TotalSeconds:0}s): {informer.LastError}");
            _readiness.MarkNotReady(reason);
            if (!_markedUnready)
            {
                _markedUnready = true;
                LogUnready(_logger, reason);
            }

            return true;
        }

        if (_markedUnready && _synced())
        {
            _markedUnready = false;
            _readiness.MarkReady();
            LogRecovered(_logger);
        }

        return false;
    }
}
