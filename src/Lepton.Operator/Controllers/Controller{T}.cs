using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Controllers.Queue;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Lepton.Operator.Resilience;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Controllers;

/// <summary>
/// Wires informer events to a rate-limited work queue and the queue to reconcile workers
/// (controller-runtime's controller): every event of the primary informer enqueues the object's key, every
/// event of a watched secondary informer enqueues the keys its map returns; after every informer has synced,
/// and only while this replica leads, <see cref="ControllerOptions.Workers"/> workers take keys and call the
/// <see cref="IReconciler{TResource}"/>. Failures are retried with backoff (never dropped), a
/// <see cref="TerminalReconcileException"/> stops retries, a <see cref="ConflictException"/> is a plain requeue,
/// and <see cref="ReconcileResult.RequeueAfter"/> goes back through the same queue. With
/// <see cref="ControllerOptions.ResyncPeriod"/> set, every cached primary object that passes the filter is
/// enqueued again on that period of the injected clock, through the same queue.
/// </summary>
/// <typeparam name="T">The primary resource.</typeparam>
public sealed partial class Controller<T> : IDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceInformer<T> _informer;
    private readonly IReconciler<T> _reconciler;
    private readonly ILeaderElector _leaderElector;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly RateLimitingQueue<NamespacedName> _queue;
    private readonly Func<ResourceEvent<T>, bool>? _filter;
    private readonly List<Func<IDisposable>> _subscriptions = [];
    private readonly List<IInformer> _informers = [];
    private int _running;

    /// <summary>Creates the controller; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="name">The controller name (logs, metric labels, queue name).</param>
    /// <param name="informer">The informer of the primary resource.</param>
    /// <param name="reconciler">The reconciler.</param>
    /// <param name="leaderElector">Decides when workers run.</param>
    /// <param name="options">Worker count and retry pacing.</param>
    /// <param name="timeProvider">The clock for requeues and backoff.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">Where reconciles and the queue are counted; null for none.</param>
    /// <param name="filter">Optional filter of primary events (return false to skip an event); null enqueues every event.</param>
    public Controller(
        string name,
        IResourceInformer<T> informer,
        IReconciler<T> reconciler,
        ILeaderElector leaderElector,
        ControllerOptions options,
        TimeProvider timeProvider,
        ILogger<Controller<T>> logger,
        OperatorMetrics? metrics = null,
        Func<ResourceEvent<T>, bool>? filter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(leaderElector);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        _informer = informer;
        _reconciler = reconciler;
        _leaderElector = leaderElector;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _filter = filter;
        _queue = new RateLimitingQueue<NamespacedName>(
            name,
            WorkQueueRateLimiters.Create<NamespacedName>(options.RateLimiter, timeProvider),
            timeProvider,
            metrics);
        _informers.Add(informer);
        _subscriptions.Add(() => informer.Subscribe(OnPrimaryEvent));
    }

    /// <summary>Raised on the worker after each reconcile and its <c>Done</c>, with the metrics result label (diagnostics and tests).</summary>
    internal event Action<NamespacedName, string>? Reconciled;

    /// <summary>Gets the controller name.</summary>
    public string Name { get; }

    /// <summary>Gets the options this controller runs with.</summary>
    public ControllerOptions Options => _options;

    /// <summary>Gets the work queue (to enqueue keys from elsewhere, e.g. a periodic resync).</summary>
    public IRateLimitingQueue<NamespacedName> Queue => _queue;

    /// <summary>
    /// Also reconciles when a secondary resource changes (e.g. pods owned by a job): <paramref name="map"/> turns
    /// each event into primary keys. The controller waits for this informer's sync too. Call before <see cref="RunAsync"/>.
    /// </summary>
    /// <typeparam name="TOther">The secondary resource.</typeparam>
    /// <param name="informer">Its informer.</param>
    /// <param name="map">Maps an event to the primary keys to reconcile (pure and fast).</param>
    /// <returns>This controller.</returns>
    public Controller<T> Watch<TOther>(IResourceInformer<TOther> informer, Func<ResourceEvent<TOther>, IEnumerable<NamespacedName>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(map);
        if (Volatile.Read(ref _running) != 0)
        {
            throw new InvalidOperationException("Watch must be called before RunAsync.");
        }

        _informers.Add(informer);
        _subscriptions.Add(() => informer.Subscribe(e =>
        {
            foreach (var key in map(e))
            {
                _queue.Add(key);
            }
        }));
        return this;
    }

    /// <summary>
    /// Subscribes to the informers, waits for their caches, then runs workers during each leadership term until
    /// <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>)
    /// or the work queue is shut down by <see cref="Dispose"/> (then returns).
    /// A failure of the machinery itself (not of a reconcile) escapes.
    /// </summary>
    /// <param name="cancellationToken">Stops the controller.</param>
    /// <returns>A task that ends when the controller stops.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException($"Controller {Name} is already running.");
        }

        var subscriptions = _subscriptions.Select(subscribe => subscribe()).ToList();
        try
        {
            LogWaitingForSync(_logger, Name, string.Join(", ", _informers.Select(i => i.ResourceName)));
            await Task.WhenAll(_informers.Select(i => i.ReadyAsync(cancellationToken))).ConfigureAwait(false);
            LogSynced(_logger, Name, _queue.Count);
            using var resync = _options.ResyncPeriod is { } period
                ? _timeProvider.CreateTimer(_ => Resync(), null, period, period)
                : null;
            while (true)
            {
                var term = await _leaderElector.WaitForLeadershipAsync(cancellationToken).ConfigureAwait(false);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, term);
                LogStartingWorkers(_logger, Name, _options.Workers);
                var workers = Enumerable.Range(0, _options.Workers)
                    .Select(_ => Task.Run(() => WorkAsync(leading.Token), CancellationToken.None))
                    .ToArray();
                await Task.WhenAll(workers).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!term.IsCancellationRequested)
                {
                    // Workers end only when the term ends or the queue is shut down (the controller was disposed).
                    // Electing again would start workers that return at once: a hot loop. Stop instead.
                    LogQueueShutDown(_logger, Name);
                    return;
                }

                LogWorkersStopped(_logger, Name);
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            _queue.ShutDown();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _queue.Dispose();

    private void OnPrimaryEvent(ResourceEvent<T> e)
    {
        if (_filter is null || _filter(e))
        {
            _queue.Add(NamespacedName.Of(e.Object));
        }
    }

    private void Resync()
    {
        var objects = _informer.Cache.List();
        foreach (var o in objects)
        {
            OnPrimaryEvent(new ResourceEvent<T>(ResourceEventType.Updated, o, o));
        }

        LogResynced(_logger, Name, objects.Count);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            WorkQueueItem<NamespacedName> item;
            try
            {
                item = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (item.IsShutdown)
            {
                return;
            }

            string result;
            try
            {
                result = await ReconcileAsync(item.Key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _queue.Done(item.Key);
            }

            Reconciled?.Invoke(item.Key, result);
        }
    }

    private async Task<string> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        string result;
        try
        {
            var outcome = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            _queue.Forget(key);
            if (outcome.RequeueAfter is { } delay && delay > TimeSpan.Zero)
            {
                _queue.AddAfter(key, delay);
                result = OperatorMetrics.ResultRequeueAfter;
            }
            else
            {
                result = OperatorMetrics.ResultSuccess;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or lost leadership mid-reconcile: keep the key for the next term, without backoff.
            _queue.Add(key);
            LogInterrupted(_logger, Name, key);
            return "interrupted";
        }
        catch (ConflictException e)
        {
            _queue.AddRateLimited(key);
            result = OperatorMetrics.ResultRequeue;
            LogConflict(_logger, Name, key, e.Message);
        }
        catch (TerminalReconcileException e)
        {
            _queue.Forget(key);
            result = OperatorMetrics.ResultError;
            LogTerminal(_logger, Name, key, e);
        }
        catch (Exception e)
        {
            _queue.AddRateLimited(key);
            result = OperatorMetrics.ResultError;
            LogFailed(_logger, Name, key, _queue.NumRequeues(key), e);
        }

        _metrics?.ReconcileCompleted(Name, result, _timeProvider.GetElapsedTime(started));
        return result;
    }
}
