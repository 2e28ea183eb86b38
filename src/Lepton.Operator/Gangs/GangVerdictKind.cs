namespace Lepton.Operator.Gangs;

/// <summary>What gang admission last decided about a gang.</summary>
public enum GangVerdictKind
{
    /// <summary>The gang does not fit now; it stays gated.</summary>
    Waiting,

    /// <summary>The gang found room: reservations written, gates lifted; its members wait to be bound.</summary>
    Admitted,

    /// <summary>The gang was evicted whole to make room for a higher-priority gang; it waits to be admitted again.</summary>
    Preempted,

    /// <summary>Admitted members were not all bound in time; the batch was deleted to be recreated gated.</summary>
    TimedOut,
}
