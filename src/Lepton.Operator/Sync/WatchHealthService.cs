using Lepton.Operator.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Sync;

/// <summary>Runs the <see cref="WatchHealthMonitor"/> every <see cref="WatchHealthOptions.CheckInterval"/> on the injected clock, on every replica.</summary>
/// <param name="monitor">The monitor.</param>
/// <param name="options">The interval.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">The logger.</param>
public sealed class WatchHealthService(WatchHealthMonitor monitor, IOptions<WatchHealthOptions> options, TimeProvider time, ILogger<WatchHealthService> logger) : LoopService(logger)
{
    /// <inheritdoc />
    protected override string LoopName => "watch-health";

    /// <inheritdoc />
    protected override async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CheckInterval;
        while (true)
        {
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            monitor.Check();
        }
    }
}
