using System.Text.RegularExpressions;
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
public static partial class ControllerMachineryServiceCollectionExtensions
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
    /// Registers a controller by name: a <see cref="Controller{T}"/> of <typeparamref name="T"/> reconciled by
    /// <typeparamref name="TReconciler"/>, kept as a keyed singleton under <paramref name="name"/>, and a
    /// <see cref="ControllerHostedService{T}"/> that runs it. Its <see cref="ControllerOptions"/> are the named
    /// options <paramref name="name"/>, bound from <c>Lepton:Controllers:{name}</c> and validated on start
    /// (<see cref="ControllerOptionsValidator"/> names the offending key). Every controller of
    /// <typeparamref name="T"/> shares the one informer and cache of that type (see <see cref="AddLeptonInformer{T}"/>).
    /// </summary>
    /// <typeparam name="T">The primary resource.</typeparam>
    /// <typeparam name="TReconciler">The reconciler, resolved as itself (a singleton, registered here unless it is already).</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">
    /// The controller name (logs, metric labels, configuration): a lowercase DNS label such as <c>gang-admission</c>,
    /// unique across all controllers.
    /// </param>
    /// <param name="configure">Describes the controller: event filter, secondary watches, options rules.</param>
    /// <returns>The services.</returns>
    /// <example>
    /// <code>
    /// services.AddLeptonController&lt;V1Alpha1LeptonJob, LeptonJobReconciler&gt;("leptonjob", c => c
    ///     .Watches&lt;V1Pod&gt;(LeptonJobReconciler.OwningJob));
    /// // appsettings.json: { "Lepton": { "Controllers": { "leptonjob": { "Workers": 4 } } } }
    /// </code>
    /// </example>
    public static IServiceCollection AddLeptonController<T, TReconciler>(
        this IServiceCollection services,
        string name,
        Action<ControllerBuilder<T>>? configure = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!ControllerNamePattern().IsMatch(name) || ControllerOptionsValidator.IsSettingName(name))
        {
            throw new ArgumentException(
                $"Controller name '{name}' must be a lowercase DNS label (it names the section {ControllerOptions.SectionName}:{{name}}) and not a setting's name.",
                nameof(name));
        }

        if (services.Any(d => d.ServiceType == typeof(ControllerRegistration) && d.ImplementationInstance is ControllerRegistration r && r.Name == name))
        {
            throw new InvalidOperationException($"A controller named '{name}' is already registered; controller names are unique.");
        }

        services.AddSingleton(new ControllerRegistration(name, typeof(T)));
        services.AddLeptonInformer<T>();
        var options = services.AddOptions<ControllerOptions>(name).BindConfiguration(ControllerOptions.SectionFor(name)).ValidateOnStart();
        var builder = new ControllerBuilder<T>(services, name, options);
        configure?.Invoke(builder);
        services.TryAddSingleton<TReconciler>();
        services.AddKeyedSingleton(name, (sp, _) => builder.Build(sp, sp.GetRequiredService<TReconciler>()));
        services.AddSingleton<IHostedService>(sp => new ControllerHostedService<T>(
            sp.GetRequiredKeyedService<Controller<T>>(name),
            sp.GetRequiredService<ILogger<ControllerHostedService<T>>>()));
        return services;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ControllerNamePattern();

    private static k8s.Kubernetes ResolveClient(IServiceProvider services)
        => services.GetRequiredService<IKubernetes>() as k8s.Kubernetes
            ?? throw new InvalidOperationException("The controller machinery needs IKubernetes registered as a k8s.Kubernetes instance.");
}
