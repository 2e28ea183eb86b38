using Lepton.Scheduling.Fragmentation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Extender.Fragmentation;

/// <summary>
/// Rebuilds the typical-task mix every <see cref="ExtenderOptions.MixRefreshInterval"/> on the
/// injected clock (DECISIONS.md 13). Stops quietly only when the host stops.
/// </summary>
/// <param name="provider">The mix provider.</param>
/// <param name="options">The extender options.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">The logger.</param>
internal sealed partial class TypicalMixRefreshService(
    TypicalMixProvider provider,
    IOptions<ExtenderOptions> options,
    TimeProvider time,
    ILogger<TypicalMixRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MixRefreshInterval, time);
        try
        {
            do
            {
                if (provider.Refresh())
                {
                    LogMixRefreshed(logger, provider.UsesBuiltIn, provider.Current.Tasks.Count);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
