namespace Lepton.Operator.Gangs;

/// <summary>Gang admission's last decision about a gang, which the job reconciler writes into the job's conditions.</summary>
/// <param name="Kind">What was decided.</param>
/// <param name="Reason">The condition reason (<c>InsufficientResources</c>, <c>NoMatchingNodes</c>, <c>GangAdmitted</c>, <c>GangTimeout</c>).</param>
/// <param name="Message">Why, in plain words.</param>
/// <param name="At">When it was decided.</param>
public sealed record GangVerdict(GangVerdictKind Kind, string Reason, string Message, DateTimeOffset At);
