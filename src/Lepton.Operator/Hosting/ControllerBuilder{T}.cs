using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Hosting;

/// <summary>
/// Describes one controller while it is registered by
/// <see cref="ControllerMachineryServiceCollectionExtensions.AddLeptonController{T, TReconciler}"/>: its name,
/// its options, which primary events it takes and which secondary resources it watches (controller-runtime's
/// builder: <c>Named</c>, <c>WithOptions</c>, <c>WithEventFilter</c>, <c>Watches</c>).
/// </summary>
/// <typeparam name="T">The primary resource.</typeparam>
/// <example>
/// <code>
/// services.AddLeptonController&lt;V1Alpha1LeptonJob, GangAdmissionReconciler&gt;("gang-admission", c => c
///     .WithEventFilter(e => JobPodBuilder.IsGang(e.Object))
///     .Watches&lt;V1Node&gt;(sp => { var verdicts = sp.GetRequiredService&lt;GangVerdicts&gt;(); return _ => verdicts.Waiting(); })
///     .Options.Validate(o => o.Workers == 1, "Lepton:Controllers:gang-admission:Workers: must be 1."));
/// </code>
/// </example>
public sealed class ControllerBuilder<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<Action<IServiceProvider, Controller<T>>> _onCreated = [];
    private Func<ResourceEvent<T>, bool>? _filter;

    internal ControllerBuilder(IServiceCollection services, string name, OptionsBuilder<ControllerOptions> options)
    {
        Services = services;
        Name = name;
        Options = options;
    }

    /// <summary>Gets the controller name (logs, metric labels, the work queue, <c>Lepton:Controllers:{name}</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the services the controller is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Gets the controller's named options, already bound from <c>Lepton:Controllers:{name}</c> and validated on
    /// start: <c>Configure</c> here overrides configuration, <c>Validate</c> adds a rule of this controller.
    /// </summary>
    public OptionsBuilder<ControllerOptions> Options { get; }

    /// <summary>Takes only the primary events <paramref name="filter"/> accepts (and resyncs only those objects).</summary>
    /// <param name="filter">Returns false to skip an event; pure and fast.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder<T> WithEventFilter(Func<ResourceEvent<T>, bool> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = filter;
        return this;
    }

    /// <summary>
    /// Also reconciles when a <typeparamref name="TOther"/> changes, through the shared informer of that type
    /// (registered here if it is not yet): <paramref name="map"/> turns each event into primary keys.
    /// </summary>
    /// <typeparam name="TOther">The secondary resource.</typeparam>
    /// <param name="map">Maps an event to the primary keys to reconcile (pure and fast).</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder<T> Watches<TOther>(Func<ResourceEvent<TOther>, IEnumerable<NamespacedName>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        return Watches<TOther>(_ => map);
    }

    /// <summary>
    /// Also reconciles when a <typeparamref name="TOther"/> changes, with a map that needs services (built once,
    /// when the controller is): see <see cref="Watches{TOther}(Func{ResourceEvent{TOther}, IEnumerable{NamespacedName}})"/>.
    /// </summary>
    /// <typeparam name="TOther">The secondary resource.</typeparam>
    /// <param name="mapFactory">Builds the map from the services.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder<T> Watches<TOther>(Func<IServiceProvider, Func<ResourceEvent<TOther>, IEnumerable<NamespacedName>>> mapFactory)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(mapFactory);
        Services.AddLeptonInformer<TOther>();
        _onCreated.Add((sp, controller) => controller.Watch(sp.GetRequiredService<IResourceInformer<TOther>>(), mapFactory(sp)));
        return this;
    }

    /// <summary>Runs <paramref name="action"/> once the controller is built, before it runs (e.g. to feed its queue from elsewhere).</summary>
    /// <param name="action">Given the services and the controller.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder<T> OnCreated(Action<IServiceProvider, Controller<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _onCreated.Add(action);
        return this;
    }

    /// <summary>Builds the controller from the shared informer, the elector and this controller's named options.</summary>
    /// <param name="services">The services.</param>
    /// <param name="reconciler">The reconciler.</param>
    /// <returns>The controller.</returns>
    internal Controller<T> Build(IServiceProvider services, IReconciler<T> reconciler)
    {
        var controller = new Controller<T>(
            Name,
            services.GetRequiredService<IResourceInformer<T>>(),
            reconciler,
            services.GetRequiredService<ILeaderElector>(),
            services.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get(Name),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<Controller<T>>>(),
            services.GetRequiredService<OperatorMetrics>(),
            _filter);
        foreach (var action in _onCreated)
        {
            action(services, controller);
        }

        return controller;
    }
}
