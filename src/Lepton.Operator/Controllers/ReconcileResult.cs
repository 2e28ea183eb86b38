namespace Lepton.Operator.Controllers;

/// <summary>The outcome of a successful reconcile (controller-runtime's <c>reconcile.Result</c>, without the deprecated <c>Requeue</c> flag).</summary>
/// <param name="RequeueAfter">Reconcile again after this delay; null (or zero) for no timed requeue.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null)
{
    /// <summary>Gets the result of a converged object: no requeue.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Returns a result that requeues the key after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay (positive).</param>
    /// <returns>The result.</returns>
    public static ReconcileResult After(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new ReconcileResult(delay);
    }
}
