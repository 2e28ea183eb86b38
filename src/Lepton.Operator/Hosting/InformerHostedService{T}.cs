using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Informers;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Hosting;

/// <summary>Runs one informer for the life of the host (on every replica).</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="informer">The informer.</param>
/// <param name="logger">The logger.</param>
public sealed class InformerHostedService<T>(IResourceInformer<T> informer, ILogger<InformerHostedService<T>> logger) : LoopService(logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    protected override string LoopName => $"informer/{informer.ResourceName}";

    /// <inheritdoc />
    protected override Task RunLoopAsync(CancellationToken stoppingToken) => informer.RunAsync(stoppingToken);
}
