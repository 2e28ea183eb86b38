namespace Lepton.Scheduling.Inventory;

/// <summary>
/// A pod toleration (<c>spec.tolerations[]</c>), with core/v1's matching rule
/// (<see cref="Tolerates"/>).
/// </summary>
/// <param name="Key">The taint key it tolerates; empty with <c>Exists</c> tolerates every key.</param>
/// <param name="Operator"><c>Equal</c> (also when empty) or <c>Exists</c>; any other operator tolerates nothing.</param>
/// <param name="Value">The value <c>Equal</c> compares with.</param>
/// <param name="Effect">The effect it tolerates; empty tolerates every effect.</param>
public readonly record struct PodToleration(string Key, string Operator, string Value, string Effect)
{
    /// <summary>The operator that matches any value of the key.</summary>
    public const string Exists = "Exists";

    /// <summary>The operator that matches one value (the default).</summary>
    public const string EqualOperator = "Equal";

    /// <summary>
    /// Whether this toleration tolerates <paramref name="taint"/>: the effect is empty or the same,
    /// the key is empty or the same, and then <c>Exists</c> matches any value while <c>Equal</c>
    /// (or no operator) needs the same value. Comparison operators (<c>Gt</c>/<c>Lt</c>, behind an
    /// alpha feature gate in kube-scheduler) tolerate nothing, as with the gate off.
    /// </summary>
    /// <param name="taint">The taint.</param>
    /// <returns>True when tolerated.</returns>
    public bool Tolerates(NodeTaint taint)
    {
        if (!string.IsNullOrEmpty(Effect) && !string.Equals(Effect, taint.Effect, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Key) && !string.Equals(Key, taint.Key, StringComparison.Ordinal))
        {
            return false;
        }

        return Operator switch
        {
            null or "" or EqualOperator => string.Equals(Value ?? string.Empty, taint.Value ?? string.Empty, StringComparison.Ordinal),
            Exists => true,
            _ => false,
        };
    }
}
