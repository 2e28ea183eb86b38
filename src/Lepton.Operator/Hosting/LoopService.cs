using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Hosting;

/// <summary>
/// A background loop that fails loudly (YARP's <c>BackgroundHostedService</c>): an
/// <see cref="OperationCanceledException"/> is swallowed only when the host asked to stop; any other
/// exception, or the loop returning while the host still runs, escapes <see cref="ExecuteAsync"/> so the host
/// stops (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>, set by
/// <see cref="ControllerMachineryServiceCollectionExtensions.AddLeptonControllerMachinery"/>) and Kubernetes
/// restarts the pod. Never a zombie watch.
/// </summary>
public abstract partial class LoopService : BackgroundService
{
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="logger">The logger.</param>
    protected LoopService(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Gets the loop's name for logs.</summary>
    protected abstract string LoopName { get; }

    /// <summary>Runs the loop until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="stoppingToken">Cancelled when the host stops.</param>
    /// <returns>A task that ends only when stopping (or with the failure that must stop the host).</returns>
    protected abstract Task RunLoopAsync(CancellationToken stoppingToken);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogLoopFailed(_logger, LoopName, e);
            throw;
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            var e = new InvalidOperationException($"The {LoopName} loop ended while the host was still running.");
            LogLoopFailed(_logger, LoopName, e);
            throw e;
        }
    }

    [LoggerMessage(2801, LogLevel.Critical, "Background loop {Loop} failed; stopping the host")]
    private static partial void LogLoopFailed(ILogger logger, string loop, Exception exception);
}
