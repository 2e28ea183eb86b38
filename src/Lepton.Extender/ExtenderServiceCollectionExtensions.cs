using Lepton.Extender.Fragmentation;
using Lepton.Extender.Http;
using Lepton.Extender.Loading;
using Lepton.Extender.Metrics;
using Lepton.Extender.Pods;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes;
using Lepton.Scheduling.Binding;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Readiness;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Serving;
using Lepton.Scheduling.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lepton.Extender;

/// <summary>Registers the extender's services (house style 20).</summary>
public static class ExtenderServiceCollectionExtensions
{
    /// <summary>
    /// Adds the extender: options (<c>Lepton:Extender</c>, validated at start), the cluster state,
    /// the configured scorer, the typical-task mix and its refresh loop, the state-file loader,
    /// readiness, metrics and the request handler. Services registered before (a
    /// <see cref="TimeProvider"/>, a <see cref="CollectorRegistry"/>, an <see cref="IPodBinder"/>,
    /// an <see cref="IClusterStateReadiness"/>, a <see cref="GpuModelCatalog"/>) are kept.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Applied after configuration binding (command-line flags).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonExtender(this IServiceCollection services, Action<ExtenderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<ExtenderOptions>()
            .BindConfiguration(ExtenderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExtenderOptions>, ExtenderOptionsValidator>());
        services.AddOptions<ClusterStateOptions>().BindConfiguration("Lepton:ClusterState").ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(sp => ScorerRegistration.Build(sp.GetServices<ScorerRegistration>(), sp));
        services.TryAddSingleton(GpuModelCatalog.Empty);
        services.TryAddSingleton(sp => new KubeObjectMapper(sp.GetRequiredService<GpuModelCatalog>()));
        services.TryAddSingleton(sp => new ClusterState(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ClusterStateOptions>>().Value));
        services.TryAddSingleton(_ =>
        {
            // The runtime's metrics once (RuntimeMetrics); resolved before /metrics is mapped, so before any scrape.
            RuntimeMetrics.ConfigureDefaultRegistry();
            return Prometheus.Metrics.DefaultRegistry;
        });
        services.TryAddSingleton<IClusterStateReadiness, ClusterStateReadiness>();
        services.TryAddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<CollectorRegistry>();
            var metrics = new ExtenderMetrics(registry);
            var readiness = sp.GetRequiredService<IClusterStateReadiness>();
            registry.AddBeforeCollectCallback(() => metrics.Ready.Set(readiness.IsReady ? 1 : 0));

            // Resolved at scrape time: the typical-mix provider itself reports to these metrics.
            registry.AddBeforeCollectCallback(() => metrics.RecordGpus(sp.GetRequiredService<ClusterState>().Nodes, sp.GetRequiredService<TypicalMixProvider>().Current));
            return metrics;
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExtenderOptions>>().Value;
            return new PendingPodCache(sp.GetRequiredService<TimeProvider>(), o.PendingPodTtl, o.PendingPodCapacity);
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExtenderOptions>>().Value;
            return new TypicalMixProvider(sp.GetRequiredService<ClusterState>(), o.MinRecentPodsForMix, o.MixCoverage, sp.GetRequiredService<ExtenderMetrics>().SetBuiltInMix);
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<ScorerRegistry>().Create(sp.GetRequiredService<IOptions<ExtenderOptions>>().Value.Policy));
        services.TryAddSingleton<IPodBinder, StateOnlyPodBinder>();
        services.TryAddSingleton<StateFilePodLookup>();
        services.TryAddSingleton<IPodLookup>(sp => sp.GetRequiredService<StateFilePodLookup>());
        services.TryAddSingleton<IServingGate, AlwaysServing>();
        services.TryAddSingleton<PodReader>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExtenderOptions>>().Value;
            return new CandidateScoring(
                sp.GetRequiredService<ClusterState>(),
                sp.GetRequiredService<NodeScorer>(),
                sp.GetRequiredService<TypicalMixProvider>(),
                o.ScoreMapping,
                o.RandomSeed);
        });
        services.TryAddSingleton(sp => new LeptonExtender(
            sp.GetRequiredService<CandidateScoring>(),
            sp.GetRequiredService<PodReader>(),
            sp.GetRequiredService<IPodLookup>(),
            sp.GetRequiredService<IPodBinder>(),
            sp.GetRequiredService<ExtenderMetrics>(),
            sp.GetRequiredService<ILogger<LeptonExtender>>()));
        services.TryAddSingleton<ExtenderRequestHandler>();
        services.AddExceptionHandler<ExtenderExceptionHandler>();
        services.AddHostedService<ClusterStateFileLoader>();
        services.AddHostedService<TypicalMixRefreshService>();
        return services;
    }
}
