namespace Lepton.Operator.Gangs;

/// <summary>What gang preemption did for a gang without room.</summary>
/// <param name="Kind">The outcome.</param>
/// <param name="Message">Why, in plain words (empty for <see cref="GangPreemptionKind.None"/>).</param>
public sealed record GangPreemption(GangPreemptionKind Kind, string Message)
{
    /// <summary>No lower-priority victims would make room: the gang just waits.</summary>
    public static GangPreemption None { get; } = new(GangPreemptionKind.None, string.Empty);
}
