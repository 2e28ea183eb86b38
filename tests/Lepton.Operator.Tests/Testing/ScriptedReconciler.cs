using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers;

namespace Lepton.Operator.Tests.Testing;

/// <summary>A reconciler whose behaviour a test scripts per call; records every call and any overlap on one key.</summary>
public sealed class ScriptedReconciler<T>(TimeProvider clock) : IReconciler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<NamespacedName, int> _attempts = new();
    private readonly ConcurrentDictionary<NamespacedName, int> _inFlight = new();
    private readonly Channel<ReconcileCall> _calls = Channel.CreateUnbounded<ReconcileCall>();
    private int _overlaps;
    private int _running;
    private int _maxRunning;

    /// <summary>(key, attempt starting at 1, token) → result; throw to fail. Default: converged.</summary>
    public Func<NamespacedName, int, CancellationToken, Task<ReconcileResult>> Behavior { get; set; } = (_, _, _) => Task.FromResult(ReconcileResult.Done);

    public int Overlaps => Volatile.Read(ref _overlaps);

    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    public int Attempts(NamespacedName key) => _attempts.GetValueOrDefault(key);

    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (_inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        _calls.Writer.TryWrite(new ReconcileCall(key, attempt, clock.GetUtcNow()));
        try
        {
            return await Behavior(key, attempt, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    public ValueTask<ReconcileCall> NextCallAsync(CancellationToken cancellationToken) => _calls.Reader.ReadAsync(cancellationToken);

    public bool TryNextCall(out ReconcileCall call) => _calls.Reader.TryRead(out call);
}

/// <summary>One recorded reconcile call.</summary>
public readonly record struct ReconcileCall(NamespacedName Key, int Attempt, DateTimeOffset At);
