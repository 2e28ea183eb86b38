using Lepton.Operator.Metrics;
using Lepton.Operator.Resilience;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics, on an injected clock:
/// <list type="bullet">
/// <item><see cref="TryAcquireOrRenewAsync"/>: the Lease is held by another while <c>observedTime +
/// leaseDurationSeconds</c> lies in the future, where observedTime is when <em>this</em> replica last saw the
/// record change (local clock; clocks of replicas are never compared). A takeover increments
/// <c>leaseTransitions</c>; a renewal keeps <c>acquireTime</c>.</item>
/// <item>Acquisition retries every RetryPeriod (jittered); the leader renews every RetryPeriod and steps down
/// when it cannot renew within RenewDeadline, or as soon as it sees another holder.</item>
/// <item>On cancellation the leader releases the Lease (holder cleared, <c>leaseDurationSeconds: 1</c>) so
/// another replica takes over at once.</item>
/// </list>
/// </summary>
public sealed partial class LeaseLeaderElector : ILeaderElector, IDisposable
{
    private readonly ILeaseLock _lock;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly Func<double> _random;
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _leading = NewTerm();
    private CancellationTokenSource? _term;
    private LeaseSnapshot? _observed;
    private DateTimeOffset _observedTime;

    /// <summary>Creates the elector; call <see cref="RunAsync"/> (or <see cref="RunUntilLeadershipLostAsync"/>) to take part.</summary>
    /// <param name="leaseLock">The Lease.</param>
    /// <param name="options">Identity and timings.</param>
    /// <param name="timeProvider">The local clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">Where <c>lepton_leader</c> is set; null for none.</param>
    public LeaseLeaderElector(ILeaseLock leaseLock, LeaderElectionOptions options, TimeProvider timeProvider, ILogger<LeaseLeaderElector> logger, OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(leaseLock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _lock = leaseLock;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _random = options.Randomizer ?? Random.Shared.NextDouble;
        Identity = string.IsNullOrEmpty(options.Identity) ? Environment.MachineName : options.Identity;
        _metrics?.SetLeader(Identity, false);
    }

    /// <inheritdoc />
    public event EventHandler<LeadershipChangedEventArgs>? LeadershipChanged;

    /// <inheritdoc />
    public string Identity { get; }

    /// <inheritdoc />
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _term is not null;
            }
        }
    }

    /// <summary>Gets the Lease record as last observed, or null before the first read.</summary>
    public LeaseRecord? ObservedRecord
    {
        get
        {
            lock (_gate)
            {
                return _observed?.Record;
            }
        }
    }

    /// <inheritdoc />
    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _leading.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes part in elections until <paramref name="cancellationToken"/> is cancelled: after losing leadership, becomes a candidate again.</summary>
    /// <param name="cancellationToken">Stops the elector (a leader releases the Lease first).</param>
    /// <returns>A task that completes when cancelled.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Waits until this replica acquires the Lease, leads (renewing) until it loses it, and returns. On
    /// cancellation a leader releases the Lease (when <see cref="LeaderElectionOptions.ReleaseOnCancel"/>) and
    /// an <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    /// <param name="cancellationToken">Stops the elector.</param>
    /// <returns>A task that completes when leadership is lost.</returns>
    public async Task RunUntilLeadershipLostAsync(CancellationToken cancellationToken)
    {
        LogCandidate(_logger, Identity, _lock.Description);
        while (!await AttemptAsync(_options.RenewDeadline, cancellationToken).ConfigureAwait(false))
        {
            var wait = _options.RetryPeriod * (1 + (_options.JitterFactor * _random()));
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        BecomeLeader();
        try
        {
            await RenewUntilLostAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var release = cancellationToken.IsCancellationRequested && _options.ReleaseOnCancel;
            StepDown();
            if (release)
            {
                using var timeout = new CancellationTokenSource(_options.RenewDeadline, _timeProvider);
                await ReleaseAsync(timeout.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One attempt of client-go's <c>tryAcquireOrRenew</c>: read the Lease, and create, take over or renew it
    /// when this replica may. API errors propagate; a 409 on create or update means another replica won the race.
    /// </summary>
    /// <param name="cancellationToken">Cancels the API calls.</param>
    /// <returns>True when this replica holds the Lease after the call.</returns>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = LeaseRecord.ToMicroTime(_timeProvider.GetUtcNow());
        var desired = new LeaseRecord(Identity, (int)_options.LeaseDuration.TotalSeconds, now, now, 0);
        var current = await _lock.GetAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            try
            {
                Observe(await _lock.CreateAsync(desired, cancellationToken).ConfigureAwait(false), now);
                return true;
            }
            catch (ConflictException)
            {
                LogLostRace(_logger, Identity, _lock.Description);
                return false;
            }
        }

        var record = current.Record;
        DateTimeOffset observedTime;
        lock (_gate)
        {
            if (_observed is null || _observed.Record != record)
            {
                _observedTime = now;
            }

            _observed = current;
            observedTime = _observedTime;
        }

        var heldByOther = record.HolderIdentity.Length > 0 && record.HolderIdentity != Identity;
        if (heldByOther && observedTime + TimeSpan.FromSeconds(record.LeaseDurationSeconds) > now)
        {
            return false;
        }

        desired = record.HolderIdentity == Identity
            ? desired with { AcquireTime = record.AcquireTime ?? now, LeaseTransitions = record.LeaseTransitions }
            : desired with { LeaseTransitions = record.LeaseTransitions + 1 };
        try
        {
            Observe(await _lock.UpdateAsync(current, desired, cancellationToken).ConfigureAwait(false), now);
            return true;
        }
        catch (ConflictException)
        {
            LogLostRace(_logger, Identity, _lock.Description);
            return false;
        }
    }

    /// <summary>
    /// Gives the Lease up if this replica holds it: clears the holder and writes <c>leaseDurationSeconds: 1</c>,
    /// keeping <c>leaseTransitions</c>. Errors are logged, not thrown (the Lease then simply expires).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when released.</returns>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        LeaseSnapshot? observed;
        lock (_gate)
        {
            observed = _observed;
        }

        if (observed is null || observed.Record.HolderIdentity != Identity)
        {
            return false;
        }

        var now = LeaseRecord.ToMicroTime(_timeProvider.GetUtcNow());
        try
        {
            Observe(await _lock.UpdateAsync(observed, new LeaseRecord(string.Empty, 1, now, now, observed.Record.LeaseTransitions), cancellationToken).ConfigureAwait(false), now);
            LogReleased(_logger, Identity, _lock.Description);
            return true;
        }
        catch (Exception e) when (IsAttemptFailure(e, CancellationToken.None))
        {
            LogReleaseFailed(_logger, Identity, _lock.Description, e);
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _term?.Cancel();
            _term?.Dispose();
            _term = null;
        }
    }

    private async Task RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_options.RetryPeriod, _timeProvider, cancellationToken).ConfigureAwait(false);
            var deadline = _timeProvider.GetUtcNow() + _options.RenewDeadline;
            while (true)
            {
                var remaining = deadline - _timeProvider.GetUtcNow();
                if (remaining > TimeSpan.Zero && await AttemptAsync(remaining, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (ObservedRecord is { HolderIdentity: { Length: > 0 } holder } && holder != Identity)
                {
                    LogTakenOver(_logger, Identity, _lock.Description, holder);
                    return;
                }

                remaining = deadline - _timeProvider.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    LogRenewFailed(_logger, Identity, _lock.Description, _options.RenewDeadline);
                    return;
                }

                await Task.Delay(remaining < _options.RetryPeriod ? remaining : _options.RetryPeriod, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> AttemptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attemptTimeout = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
        try
        {
            return await TryAcquireOrRenewAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAttemptFailure(e, cancellationToken))
        {
            LogAttemptFailed(_logger, Identity, _lock.Description, e);
            return false;
        }
    }

    private static bool IsAttemptFailure(Exception e, CancellationToken cancellationToken)
        => !cancellationToken.IsCancellationRequested
            && (KubeApiErrors.IsTransient(e, cancellationToken) || KubeApiErrors.StatusCode(e) is not null || e is ConflictException or InvalidDataException);

    private void Observe(LeaseSnapshot snapshot, DateTimeOffset now)
    {
        lock (_gate)
        {
            _observed = snapshot;
            _observedTime = now;
        }
    }

    private void BecomeLeader()
    {
        lock (_gate)
        {
            _term = new CancellationTokenSource();
            _leading.TrySetResult(_term.Token);
        }

        _metrics?.SetLeader(Identity, true);
        LogAcquired(_logger, Identity, _lock.Description, ObservedRecord?.LeaseTransitions ?? 0);
        LeadershipChanged?.Invoke(this, new LeadershipChangedEventArgs(true, Identity));
    }

    private void StepDown()
    {
        CancellationTokenSource? term;
        lock (_gate)
        {
            term = _term;
            _term = null;
            _leading = NewTerm();
        }

        if (term is null)
        {
            return;
        }

        _metrics?.SetLeader(Identity, false);
        LogLost(_logger, Identity, _lock.Description);
        try
        {
            term.Cancel();
        }
        finally
        {
            term.Dispose();
            LeadershipChanged?.Invoke(this, new LeadershipChangedEventArgs(false, Identity));
        }
    }

    private static TaskCompletionSource<CancellationToken> NewTerm() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
