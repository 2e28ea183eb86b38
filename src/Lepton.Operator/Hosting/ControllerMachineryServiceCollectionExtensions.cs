using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Hosting;

/// <summary>Registers the controller machinery: informers, leader election, controllers, API resilience and metrics.</summary>
public static class ControllerMachineryServiceCollectionExtensions
{
    /// <summary>
    /// Registers what every informer and controller shares: <see cref="TimeProvider.System"/> (unless one is
    /// registered), <see cref="OperatorMetrics"/> on the default Prometheus registry, the
    /// <see cref="ILeaderElector"/> (a <see cref="LeaseLeaderElector"/>, or <see cref="AlwaysLeaderElector"/>
    /// when <c>Lepton:LeaderElection:Enabled</c> is false) and its hosted service, the
    /// <see cref="KubeApiPipeline"/>, the options (validated on start), and
    /// <see cref="BackgroundServiceExceptionBehavior.StopHost"/>. The caller registers <see cref="IKubernetes"/>
    /// (a <see cref="k8s.Kubernetes"/> instance).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonControllerMachinery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new OperatorMetrics());
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);

        services.AddOptions<LeaderElectionOptions>().BindConfiguration(LeaderElectionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeaderElectionOptions>, LeaderElectionOptionsValidator>());
        services.AddOptions<KubeApiResilienceOptions>().BindConfiguration(KubeApiResilienceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InformerOptions>, InformerOptionsValidator>());

        services.TryAddSingleton<ILeaseLock>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
            return new KubernetesLeaseLock(ResolveClient(sp), options.LeaseNamespace, options.LeaseName);
        });
        services.TryAddSingleton<ILeaderElector>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
            return options.Enabled
                ? new LeaseLeaderElector(
                    sp.GetRequiredService<ILeaseLock>(),
                    options,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<LeaseLeaderElector>>(),
                    sp.GetRequiredService<OperatorMetrics>())
                : new AlwaysLeaderElector(options.Identity ?? Environment.MachineName);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LeaderElectionHostedService>());
        services.TryAddSingleton(sp => new KubeApiPipeline(
            sp.GetRequiredService<IOptions<KubeApiResilienceOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers the shared informer of <typeparamref name="T"/> (once; later calls are no-ops): the
    /// <see cref="IResourceInformer{T}"/>, its <see cref="Controllers.Caching.IObjectCache{T}"/>, an
    /// <see cref="IInformer"/> entry for readiness checks, and the hosted service that runs it on every replica.
    /// Options come from <c>Lepton:Informers</c>, named <c>typeof(T).Name</c>, then <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="T">The resource type (with a <see cref="KubernetesEntityAttribute"/>).</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options (namespace, selectors, page size).</param>
    /// <param name="transform">
    /// Replaces the cache transform (default: <see cref="ResourceInformer{T}.DefaultTransform"/>); it is given the options.
    /// </param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonInformer<T>(
        this IServiceCollection services,
        Action<InformerOptions>? configure = null,
        Func<InformerOptions, Func<T, T>>? transform = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IResourceInformer<T>)))
        {
            return services;
        }

        var name = typeof(T).Name;
        var builder = services.AddOptions<InformerOptions>(name).BindConfiguration(InformerOptions.SectionName);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<InformerOptions>>().Get(name);
            var listerWatcher = new KubernetesListerWatcher<T>(
                ResolveClient(sp),
                ResourceEndpoint.For<T>(options.Namespace),
                options.LabelSelector,
                options.FieldSelector);
            return new ResourceInformer<T>(
                listerWatcher,
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ResourceInformer<T>>>(),
                sp.GetRequiredService<OperatorMetrics>(),
                transform?.Invoke(options));
        });
        services.AddSingleton<IResourceInformer<T>>(sp => sp.GetRequiredService<ResourceInformer<T>>());
        services.AddSingleton<IInformer>(sp => sp.GetRequiredService<ResourceInformer<T>>());
        services.AddSingleton(sp => sp.GetRequiredService<ResourceInformer<T>>().Cache);
        services.AddSingleton<IHostedService, InformerHostedService<T>>();
        return services;
    }

    /// <summary>
    /// Registers a controller of <typeparamref name="T"/> reconciled by <typeparamref name="TReconciler"/>, its
    /// informer (see <see cref="AddLeptonInformer{T}"/>), and the hosted service that runs it. Options come
    /// from <c>Lepton:Controllers</c>, named <paramref name="name"/>.
    /// </summary>
    /// <typeparam name="T">The primary resource.</typeparam>
    /// <typeparam name="TReconciler">The reconciler (a singleton).</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The controller name.</param>
    /// <param name="configure">Adds secondary watches (<see cref="Controller{T}.Watch{TOther}"/>) once the controller is built.</param>
    /// <param name="filter">Optional filter of primary events.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonController<T, TReconciler>(
        this IServiceCollection services,
        string name,
        Action<IServiceProvider, Controller<T>>? configure = null,
        Func<ResourceEvent<T>, bool>? filter = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        services.AddLeptonInformer<T>();
        services.AddOptions<ControllerOptions>(name).BindConfiguration(ControllerOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<IReconciler<T>, TReconciler>();
        services.AddSingleton(sp =>
        {
            var controller = new Controller<T>(
                name,
                sp.GetRequiredService<IResourceInformer<T>>(),
                sp.GetRequiredService<IReconciler<T>>(),
                sp.GetRequiredService<ILeaderElector>(),
                sp.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get(name),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<Controller<T>>>(),
                sp.GetRequiredService<OperatorMetrics>(),
                filter);
            configure?.Invoke(sp, controller);
            return controller;
        });
        services.AddSingleton<IHostedService, ControllerHostedService<T>>();
        return services;
    }

    private static k8s.Kubernetes ResolveClient(IServiceProvider services)
        => services.GetRequiredService<IKubernetes>() as k8s.Kubernetes
            ?? throw new InvalidOperationException("The controller machinery needs IKubernetes registered as a k8s.Kubernetes instance.");
}
