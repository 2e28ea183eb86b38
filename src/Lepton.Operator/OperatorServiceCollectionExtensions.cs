using k8s;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Binding;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Events;
using Lepton.Operator.Gangs;
using Lepton.Operator.Hosting;
using Lepton.Operator.Jobs;
using Lepton.Operator.Metrics;
using Lepton.Operator.Prediction;
using Lepton.Operator.Serving;
using Lepton.Operator.Sync;
using Lepton.Scheduling.Binding;
using Lepton.Scheduling.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Lepton.Operator;

/// <summary>Registers Lepton's operator: cluster-state sync, the LeptonJob and gang-admission controllers, and the API-server binder.</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>The name of the LeptonJob controller (logs, metrics, options <c>Lepton:Controllers:leptonjob</c>).</summary>
    public const string JobControllerName = "leptonjob";

    /// <summary>
    /// The name of the gang-admission controller (logs, metrics, options <c>Lepton:Controllers:gang-admission</c>,
    /// whose <c>Workers</c> must stay 1: admissions are serial).
    /// </summary>
    public const string GangAdmissionControllerName = "gang-admission";

    /// <summary>
    /// Registers the operator on top of the extender's services (call <c>AddLeptonExtender()</c> too, before or
    /// after): <see cref="IKubernetes"/> for <paramref name="clientConfiguration"/>, then everything
    /// <see cref="AddLeptonOperator(IServiceCollection, Action{OperatorOptions}?)"/> registers.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="clientConfiguration">The API server (<c>KubernetesClientConfiguration.BuildConfigFromConfigFile(path)</c> or <c>.InClusterConfig()</c>).</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonOperator(this IServiceCollection services, KubernetesClientConfiguration clientConfiguration, Action<OperatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(clientConfiguration);
        services.TryAddSingleton<IKubernetes>(_ => new k8s.Kubernetes(clientConfiguration));
        return services.AddLeptonOperator(configure);
    }

    /// <summary>
    /// Registers the operator on top of the extender's services (call <c>AddLeptonExtender()</c> too, before or
    /// after) and an <see cref="IKubernetes"/> registered by the caller (a <see cref="k8s.Kubernetes"/>):
    /// <list type="bullet">
    /// <item>the controller machinery (<c>AddLeptonControllerMachinery</c>: leader election, metrics, API pipeline);</item>
    /// <item><see cref="OperatorOptions"/> from <c>Lepton:Operator</c>, validated on start;</item>
    /// <item>Node and Pod informers and the <see cref="ClusterStateSync"/> on every replica, which fills the extender's
    /// <c>ClusterState</c> and marks it ready once synced;</item>
    /// <item>the <see cref="ApiServerPodBinder"/> as the extender's <see cref="IPodBinder"/> (replacing the state-only one);</item>
    /// <item>the <see cref="JobPredictionService"/>, which predicts with the <see cref="Lepton.Scheduling.Prediction.IDurationPredictor"/>
    /// the caller registers (none: no predictions, one Event per job says so);</item>
    /// <item>the LeptonJob controller (<see cref="LeptonJobReconciler"/>, re-run on its pods' events and gang verdicts)
    /// and the gang-admission controller (<see cref="GangAdmissionReconciler"/>), both working only on the leader.</item>
    /// </list>
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonOperator(this IServiceCollection services, Action<OperatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLeptonControllerMachinery();
        var options = services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        services.RemoveAll<IPodBinder>();
        services.AddSingleton<IPodBinder, ApiServerPodBinder>();

        // DECISIONS.md 19: bind takes pods from the informer cache, and only the leader serves the verbs,
        // once its caches hold a list read after it acquired the lease.
        services.RemoveAll<IPodLookup>();
        services.AddSingleton<IPodLookup, InformerPodLookup>();
        services.TryAddSingleton<LeaderServingGate>();
        services.RemoveAll<IServingGate>();
        services.AddSingleton<IServingGate>(sp => sp.GetRequiredService<LeaderServingGate>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<LeaderServingGate>());

        services.AddLeptonInformer<V1Node>();
        services.AddLeptonInformer<V1Pod>();
        services.TryAddSingleton<ClusterStateSync>();
        services.TryAddSingleton<GangReservationLedger>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterStateMaintenance, GangReservationLedger>(sp => sp.GetRequiredService<GangReservationLedger>()));
        services.AddSingleton<IHostedService, ClusterStateSyncService>();
        services.AddOptions<WatchHealthOptions>().BindConfiguration(WatchHealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new WatchHealthMonitor(
            [sp.GetRequiredService<IResourceInformer<V1Node>>(), sp.GetRequiredService<IResourceInformer<V1Pod>>()],
            sp.GetRequiredService<Lepton.Scheduling.Readiness.IClusterStateReadiness>(),
            () => sp.GetRequiredService<ClusterStateSync>().Synced.IsCompletedSuccessfully,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WatchHealthOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<WatchHealthMonitor>>()));
        services.AddSingleton<IHostedService, WatchHealthService>();

        services.TryAddSingleton<LeptonJobApi>();
        services.TryAddSingleton<GangVerdicts>();
        services.TryAddSingleton<GangPlanner>();
        services.AddOptions<EventRecorderOptions>().BindConfiguration(EventRecorderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<EventRecorderFactory>();
        services.TryAddSingleton<GangEventRecorder>();
        services.TryAddSingleton<GangPreemptor>();
        services.TryAddSingleton<GangAdmissionReconciler>();
        services.TryAddSingleton<JobPredictionService>();
        services.AddLeptonController<V1Alpha1LeptonJob, LeptonJobReconciler>(JobControllerName, c => c
            .Watches<V1Pod>(LeptonJobReconciler.OwningJob)
            .OnCreated((sp, controller) => sp.GetRequiredService<GangVerdicts>().Changed += key => controller.Queue.Add(key)));

        // A second controller over LeptonJobs: its own queue of gang keys, fed by gang jobs, their pods, every node
        // change (to retry waiting gangs) and pods that free room; the LeptonJob informer is shared.
        services.AddLeptonController<V1Alpha1LeptonJob, GangAdmissionReconciler>(GangAdmissionControllerName, c =>
        {
            c.Options.Validate(
                o => o.Workers == 1,
                $"{ControllerOptions.SectionFor(GangAdmissionControllerName)}:{nameof(ControllerOptions.Workers)}: must be 1; gang admissions run one at a time.");
            c.WithEventFilter(e => JobPodBuilder.IsGang(e.Object))
                .Watches<V1Pod>(sp =>
                {
                    var verdicts = sp.GetRequiredService<GangVerdicts>();
                    return e => GangAdmissionReconciler.AffectedGangs(e, verdicts);
                })
                .Watches<V1Node>(sp =>
                {
                    var verdicts = sp.GetRequiredService<GangVerdicts>();
                    return _ => verdicts.Waiting();
                });
        });
        services.TryAddSingleton(sp => new UnschedulableJobsMetric(
            sp.GetRequiredService<IObjectCache<V1Alpha1LeptonJob>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Prometheus.CollectorRegistry>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<UnschedulableJobsMetric>());
        return services;
    }
}
