using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Hosting;

/// <summary>
/// Runs one controller for the life of the host (its workers only while this replica leads), named
/// <c>controller/{name}</c> in logs; one instance per controller registered by name, so two controllers over
/// the same resource type each get one.
/// </summary>
/// <typeparam name="T">The primary resource.</typeparam>
/// <param name="controller">The controller.</param>
/// <param name="logger">The logger.</param>
public sealed class ControllerHostedService<T>(Controller<T> controller, ILogger<ControllerHostedService<T>> logger) : LoopService(logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    protected override string LoopName => $"controller/{controller.Name}";

    /// <inheritdoc />
    protected override Task RunLoopAsync(CancellationToken stoppingToken) => controller.RunAsync(stoppingToken);
}
