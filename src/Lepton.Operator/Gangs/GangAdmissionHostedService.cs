using Lepton.Operator.Hosting;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Gangs;

/// <summary>Runs the <see cref="GangAdmissionController"/> for the life of the host (its worker only while this replica leads).</summary>
/// <param name="controller">The controller.</param>
/// <param name="logger">The logger.</param>
public sealed class GangAdmissionHostedService(GangAdmissionController controller, ILogger<GangAdmissionHostedService> logger) : LoopService(logger)
{
    /// <inheritdoc />
    protected override string LoopName => "controller/" + GangAdmissionController.Name;

    /// <inheritdoc />
    protected override Task RunLoopAsync(CancellationToken stoppingToken) => controller.Controller.RunAsync(stoppingToken);
}
