using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Hosting;
using Lepton.Operator.LeaderElection;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lepton.Operator.Rebalancing;

/// <summary>Registers the rebalancer.</summary>
public static class RebalancerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the rebalancer: <see cref="RebalancerOptions"/> (section <c>Lepton:Rebalancer</c>, then
    /// <paramref name="configure"/>, validated on start), the pod informer (see
    /// <see cref="ControllerMachineryServiceCollectionExtensions.AddLeptonInformer{T}"/>) as the
    /// <see cref="IRebalancerPodSource"/> unless one is registered, <see cref="RebalancerMetrics"/> (on the registered
    /// <see cref="CollectorRegistry"/>, else the default one), the evictor, the event recorder, the
    /// <see cref="Rebalancer"/> and the leader-only <see cref="RebalancerService"/>.
    /// </summary>
    /// <remarks>
    /// The host also registers what the rebalancer reads and talks to: <see cref="IKubernetes"/>, the
    /// <see cref="ClusterState"/> kept in step with the cluster (the operator's cluster-state sync), and the controller
    /// machinery (<see cref="ControllerMachineryServiceCollectionExtensions.AddLeptonControllerMachinery"/>: leader
    /// election, <see cref="TimeProvider"/>, operator metrics). When an <see cref="IClusterStateReadiness"/> is
    /// registered, cycles plan nothing until it reports the state synced.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Applied after configuration binding.</param>
    /// <param name="fallbackMix">
    /// Builds the typical-task mix used while the cluster has fewer than <see cref="RebalancerOptions.MinRecentPodsForMix"/>
    /// recent pods; null uses the extender's <see cref="BuiltInTypicalMix"/> (the openb classes, DECISIONS.md 13).
    /// </param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonRebalancer(
        this IServiceCollection services,
        Action<RebalancerOptions>? configure = null,
        Func<IServiceProvider, FragmentationModel>? fallbackMix = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<RebalancerOptions>().BindConfiguration(RebalancerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RebalancerOptions>, RebalancerOptionsValidator>());

        if (!services.Any(d => d.ServiceType == typeof(IRebalancerPodSource)))
        {
            services.AddLeptonInformer<V1Pod>();
            services.AddSingleton<IRebalancerPodSource>(sp => new ObjectCachePodSource(sp.GetRequiredService<IObjectCache<V1Pod>>()));
        }

        services.TryAddSingleton(sp => new RebalancerMetrics(sp.GetService<CollectorRegistry>()));
        services.TryAddSingleton(sp => new RebalanceEvictor(
            sp.GetRequiredService<IKubernetes>(),
            sp.GetRequiredService<IOptions<RebalancerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<Events.EventRecorderOptions>().BindConfiguration(Events.EventRecorderOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<Events.EventRecorderFactory>();
        services.TryAddSingleton<RebalanceEventRecorder>();
        services.TryAddSingleton(sp => new Rebalancer(
            sp.GetRequiredService<ClusterState>(),
            sp.GetRequiredService<IRebalancerPodSource>(),
            sp.GetRequiredService<RebalanceEvictor>(),
            sp.GetRequiredService<RebalanceEventRecorder>(),
            sp.GetRequiredService<RebalancerMetrics>(),
            sp.GetRequiredService<IOptions<RebalancerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Rebalancer>>(),
            fallbackMix is null ? BuiltInTypicalMix.CreateModel() : fallbackMix(sp),
            sp.GetService<IClusterStateReadiness>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RebalancerService>());
        return services;
    }
}
