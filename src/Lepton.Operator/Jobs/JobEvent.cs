namespace Lepton.Operator.Jobs;

/// <summary>One Event the job reconciler records on a LeptonJob (<see cref="JobEvents"/>).</summary>
/// <param name="Type"><c>Normal</c> or <c>Warning</c>.</param>
/// <param name="Reason">The reason (one of <see cref="JobEvents"/>' constants).</param>
/// <param name="Action">What was done.</param>
/// <param name="Note">The human-readable note.</param>
/// <param name="Node">The node it concerns (the event's related object), or null.</param>
public sealed record JobEvent(string Type, string Reason, string Action, string Note, string? Node = null);
