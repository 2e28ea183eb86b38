using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.LeaderElection;
using Lepton.Scheduling.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Serving;

/// <summary>
/// DECISIONS.md 19: only the elected leader answers kube-scheduler, and only once its Node and
/// Pod caches hold a list read after it acquired the lease (so it sees the old leader's last
/// binds). The leader labels its own pod <c>lepton.ai/role=leader</c>, which the extender Service
/// selects; on losing the lease it stops serving at once and removes the label. Replicas never
/// call each other.
/// </summary>
public sealed partial class LeaderServingGate : IServingGate, IHostedService, IDisposable
{
    private readonly ILeaderElector _elector;
    private readonly IInformer[] _informers;
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource? _term;
    private volatile string _reason = "standby: not the leader";
    private volatile bool _serving;
    private Task _takeover = Task.CompletedTask;
    private Task _label = Task.CompletedTask;

    /// <summary>Creates the gate.</summary>
    /// <param name="elector">The leader elector.</param>
    /// <param name="nodes">The Node informer.</param>
    /// <param name="pods">The Pod informer.</param>
    /// <param name="client">The API client (labels this replica's pod).</param>
    /// <param name="options">The operator options (this replica's pod).</param>
    /// <param name="logger">The logger.</param>
    public LeaderServingGate(
        ILeaderElector elector,
        IResourceInformer<V1Node> nodes,
        IResourceInformer<V1Pod> pods,
        IKubernetes client,
        IOptions<OperatorOptions> options,
        ILogger<LeaderServingGate> logger)
    {
        ArgumentNullException.ThrowIfNull(elector);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _elector = elector;
        _informers = [nodes, pods];
        _client = client;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public bool IsServing => _serving;

    /// <inheritdoc />
    public string Reason => _serving ? string.Empty : _reason;

    /// <summary>Raised each time this replica starts serving (tests, takeover timing).</summary>
    public event Action? Serving;

    /// <summary>The latest takeover (relist, open, label), done or not: tests await it instead of polling.</summary>
    internal Task Takeover => Volatile.Read(ref _takeover);

    /// <summary>The latest label update, done or not.</summary>
    internal Task Labelling => Volatile.Read(ref _label);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _elector.LeadershipChanged += OnLeadershipChanged;
        if (_elector.IsLeader)
        {
            OnLeadershipChanged(this, new LeadershipChangedEventArgs(true, _elector.Identity));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _elector.LeadershipChanged -= OnLeadershipChanged;
        var wasServing = _serving;
        Stop("stopping");
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (wasServing)
        {
            await LabelAsync(leader: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        _term?.Dispose();
    }

    private void OnLeadershipChanged(object? sender, LeadershipChangedEventArgs e)
    {
        if (!e.IsLeader)
        {
            var wasServing = _serving;
            Stop("standby: not the leader");
            if (wasServing)
            {
                Volatile.Write(ref _label, LabelAsync(leader: false, _stopping.Token));
            }

            return;
        }

        CancellationToken term;
        lock (_gate)
        {
            _term?.Cancel();
            _term?.Dispose();
            _term = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            term = _term.Token;
            _serving = false;
            _reason = "leader, syncing caches read after acquiring the lease";
        }

        Volatile.Write(ref _takeover, TakeOverAsync(term));
    }

    private void Stop(string reason)
    {
        lock (_gate)
        {
            _term?.Cancel();
            _serving = false;
            _reason = reason;
        }
    }

    private async Task TakeOverAsync(CancellationToken term)
    {
        try
        {
            await Task.WhenAll(_informers.Select(i => i.RelistAsync(term))).ConfigureAwait(false);
            lock (_gate)
            {
                if (term.IsCancellationRequested || !_elector.IsLeader)
                {
                    return;
                }

                _serving = true;
                _reason = string.Empty;
            }

            LogServing(_logger, _elector.Identity);
            Serving?.Invoke();
            var label = LabelAsync(leader: true, term);
            Volatile.Write(ref _label, label);
            await label.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // Lost the lease (or stopping) before the caches caught up: stay standby.
        }
    }

    private async Task LabelAsync(bool leader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.PodName) || string.IsNullOrEmpty(_options.PodNamespace))
        {
            return;
        }

        var value = leader ? "\"leader\"" : "null";
        var patch = new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{OperatorOptions.LeaderLabel}\":{value}}}}}}}", V1Patch.PatchType.MergePatch);
        try
        {
            await _client.CoreV1.PatchNamespacedPodAsync(patch, _options.PodName, _options.PodNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogLabelled(_logger, _options.PodNamespace, _options.PodName, leader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The verbs stay gated by IsServing either way; a stale label only sends calls to a
            // replica that refuses them with Connection: close.
            LogLabelFailed(_logger, _options.PodNamespace, _options.PodName, leader, e);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Serving kube-scheduler's calls as leader {Identity}: caches hold a list read after acquiring the lease")]
    private static partial void LogServing(ILogger logger, string identity);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} labelled lepton.ai/role (leader: {Leader})")]
    private static partial void LogLabelled(ILogger logger, string @namespace, string name, bool leader);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Could not update the lepton.ai/role label of pod {Namespace}/{Name} (leader: {Leader})")]
    private static partial void LogLabelFailed(ILogger logger, string @namespace, string name, bool leader, Exception exception);
}
