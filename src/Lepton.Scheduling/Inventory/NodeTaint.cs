namespace Lepton.Scheduling.Inventory;

/// <summary>A node taint (<c>spec.taints[]</c>): key, value and effect as the API writes them.</summary>
/// <param name="Key">The taint key.</param>
/// <param name="Value">The taint value (empty when none).</param>
/// <param name="Effect"><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</param>
public readonly record struct NodeTaint(string Key, string Value, string Effect)
{
    /// <summary>The effect that keeps new pods off a node unless they tolerate it.</summary>
    public const string NoSchedule = "NoSchedule";

    /// <summary>The effect that also evicts running pods; for placement it acts as <see cref="NoSchedule"/>.</summary>
    public const string NoExecute = "NoExecute";

    /// <summary>A soft effect kube-scheduler only scores; placement ignores it.</summary>
    public const string PreferNoSchedule = "PreferNoSchedule";

    /// <summary>The taint the node lifecycle controller puts on a cordoned node, <c>node.kubernetes.io/unschedulable:NoSchedule</c>.</summary>
    public static NodeTaint Unschedulable { get; } = new("node.kubernetes.io/unschedulable", string.Empty, NoSchedule);

    /// <summary>Whether the taint keeps a pod off the node unless tolerated (<c>NoSchedule</c> or <c>NoExecute</c>).</summary>
    public bool IsHard => Effect is NoSchedule or NoExecute;

    /// <summary>The taint as kubectl writes it: <c>key=value:Effect</c>, or <c>key:Effect</c> without a value.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value.Length == 0 ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
