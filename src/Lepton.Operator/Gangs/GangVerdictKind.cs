namespace Lepton.Operator.Gangs;

/// <summary>What gang admission last decided about a gang.</summary>
public enum GangVerdictKind
{
    /// <summary>The gang does not fit now; it stays gated.</summary>
    Waiting,

    /// <summary>The gang found room: reservations written, gates lifted; its members wait to be bound.</summary>
    Admitted,

    /// <summary>Admitted members were not all bound in time; the batch was deleted to be recreated gated.</summary>
    TimedOut,
}
