using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers;

/// <summary>
/// controller-runtime's reconciler contract. Given the key of a <typeparamref name="TResource"/>, read the
/// current state from the informer cache (never from an event: there is none), drive the cluster toward the
/// desired state, and return. Reconcilers are level-triggered and idempotent; a deleted object shows up as a
/// key that is no longer in the cache (or one with a <c>deletionTimestamp</c>, for finalizers).
/// <list type="bullet">
/// <item>Return <see cref="ReconcileResult.Done"/> when the object is converged.</item>
/// <item>Return <see cref="ReconcileResult.After"/> to be called again after a delay (through the same work queue).</item>
/// <item>Throw to be retried with per-key exponential backoff (5 ms → 1000 s); a
/// <see cref="Resilience.ConflictException"/> (HTTP 409) is a normal requeue, not an error.</item>
/// <item>Throw <see cref="TerminalReconcileException"/> when retrying cannot help.</item>
/// </list>
/// One key is never reconciled by two workers at once, and only the elected leader reconciles.
/// </summary>
/// <typeparam name="TResource">The primary resource the controller reconciles.</typeparam>
/// <example>
/// <code>
/// public sealed class JobReconciler(IObjectCache&lt;V1Alpha1LeptonJob&gt; jobs) : IReconciler&lt;V1Alpha1LeptonJob&gt;
/// {
///     public async Task&lt;ReconcileResult&gt; ReconcileAsync(NamespacedName key, CancellationToken ct)
///     {
///         var job = jobs.Get(key);
///         if (job is null) { return ReconcileResult.Done; }          // deleted
///         await EnsurePodsAsync(job, ct);                              // throws: retried with backoff
///         return job.Status?.Phase == "Running" ? ReconcileResult.Done : ReconcileResult.After(TimeSpan.FromSeconds(30));
///     }
/// }
/// </code>
/// </example>
public interface IReconciler<TResource>
    where TResource : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Reconciles the object named <paramref name="key"/>.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="cancellationToken">Cancelled on shutdown or when leadership is lost.</param>
    /// <returns>Whether and when to reconcile again.</returns>
    Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken);
}
