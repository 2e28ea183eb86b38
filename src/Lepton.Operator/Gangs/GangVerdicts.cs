using System.Collections.Concurrent;
using Lepton.Operator.Controllers;

namespace Lepton.Operator.Gangs;

/// <summary>
/// The leader's in-memory record of gang admission's decisions, by job key: the admission controller writes,
/// the job reconciler (the one writer of job status) reads them into the <c>Unschedulable</c> and
/// <c>Scheduled</c> conditions. <see cref="Changed"/> lets the job controller enqueue the job. After a failover
/// the new leader's admission decides again within one pass, and until then the job keeps the conditions it has.
/// </summary>
public sealed class GangVerdicts
{
    private readonly ConcurrentDictionary<NamespacedName, GangVerdict> _verdicts = new();

    /// <summary>Raised after a verdict was recorded or dropped (outside any lock).</summary>
    public event Action<NamespacedName>? Changed;

    /// <summary>Gets the number of verdicts held.</summary>
    public int Count => _verdicts.Count;

    /// <summary>Returns the latest verdict about a job, or null.</summary>
    /// <param name="key">The job key.</param>
    /// <returns>The verdict.</returns>
    public GangVerdict? Get(NamespacedName key) => _verdicts.GetValueOrDefault(key);

    /// <summary>Records a verdict; raises <see cref="Changed"/> when kind, reason or message differ from the last one.</summary>
    /// <param name="key">The job key.</param>
    /// <param name="verdict">The verdict.</param>
    public void Set(NamespacedName key, GangVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var changed = true;
        _verdicts.AddOrUpdate(
            key,
            verdict,
            (_, old) =>
            {
                changed = old.Kind != verdict.Kind || old.Reason != verdict.Reason || old.Message != verdict.Message;
                return changed ? verdict : old;
            });
        if (changed)
        {
            Changed?.Invoke(key);
        }
    }

    /// <summary>Drops the verdict about a job (deleted, finished, or no longer a gang).</summary>
    /// <param name="key">The job key.</param>
    public void Forget(NamespacedName key)
    {
        if (_verdicts.TryRemove(key, out _))
        {
            Changed?.Invoke(key);
        }
    }

    /// <summary>The jobs whose gang was admitted and may still wait for bindings (to check their reservations when room is taken).</summary>
    /// <returns>The keys.</returns>
    public IReadOnlyList<NamespacedName> Admitted() =>
        [.. _verdicts.Where(kv => kv.Value.Kind == GangVerdictKind.Admitted).Select(kv => kv.Key)];

    /// <summary>The jobs whose gang waits for room (to retry when the cluster changes).</summary>
    /// <returns>The keys.</returns>
    public IReadOnlyList<NamespacedName> Waiting() =>
        [.. _verdicts.Where(kv => kv.Value.Kind is GangVerdictKind.Waiting or GangVerdictKind.TimedOut or GangVerdictKind.Preempted).Select(kv => kv.Key)];
}
