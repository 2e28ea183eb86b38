namespace Lepton.Operator.Gangs;

/// <summary>The outcome of <see cref="GangPreemptor.TryPreemptAsync"/>.</summary>
public enum GangPreemptionKind
{
    /// <summary>No set of lower-priority gangs and pods would make room.</summary>
    None,

    /// <summary>Pods evicted earlier are still terminating and their room would be enough: nothing more is evicted.</summary>
    Terminating,

    /// <summary>A dry-run eviction of some victim was refused (a PodDisruptionBudget's 429, an error): nothing was evicted.</summary>
    Blocked,

    /// <summary>Every victim passed the dry run and was evicted.</summary>
    Evicted,
}
