using Lepton.Extender.Fragmentation;
using Lepton.Kubernetes;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Extender.Loading;

/// <summary>
/// Loads <see cref="ExtenderOptions.ClusterStateFile"/> (a <c>kubectl get nodes,pods -A -o json</c>
/// List) into the cluster state when the host starts, keeps its pods for bind (<see cref="StateFilePodLookup"/>), and
/// then signals readiness. A broken file stops the host with the loader's message.
/// </summary>
/// <param name="options">The extender options.</param>
/// <param name="state">The cluster state.</param>
/// <param name="mapper">Maps Kubernetes objects.</param>
/// <param name="pods">The file's pods, for bind.</param>
/// <param name="mix">The typical-task mix, rebuilt after loading.</param>
/// <param name="readiness">Signalled after loading.</param>
/// <param name="logger">The logger.</param>
public sealed partial class ClusterStateFileLoader(
    IOptions<ExtenderOptions> options,
    ClusterState state,
    KubeObjectMapper mapper,
    StateFilePodLookup pods,
    TypicalMixProvider mix,
    IClusterStateReadiness readiness,
    ILogger<ClusterStateFileLoader> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.ClusterStateFile;
        if (string.IsNullOrEmpty(path))
        {
            return Task.CompletedTask;
        }

        var snapshot = ClusterStateFile.Load(path, mapper);
        state.Load(snapshot.Nodes, snapshot.BoundPods);
        pods.AddRange(snapshot.PendingPods);
        pods.AddRange(snapshot.BoundPods.Select(p => p.Pod));

        mix.Refresh();
        readiness.MarkReady();
        LogLoaded(logger, path, state.NodeCount, state.PodCount, snapshot.PendingPods.Count);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
