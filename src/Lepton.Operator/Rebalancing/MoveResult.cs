namespace Lepton.Operator.Rebalancing;

/// <summary>What happened to one planned move.</summary>
public enum MoveResult
{
    /// <summary>The pod was evicted (its controller recreates it; the scheduler places the replacement).</summary>
    Evicted,

    /// <summary>A PodDisruptionBudget refused the eviction (HTTP 429); the pod is tried again in a later cycle.</summary>
    PdbBlocked,

    /// <summary>The eviction failed: several budgets match (500), a negative budget (403), or another error.</summary>
    Error,

    /// <summary>Dry-run mode: reported, not evicted.</summary>
    DryRun,

    /// <summary>The pod was gone or replaced before the eviction (404, or 409 on the UID precondition); not counted.</summary>
    Gone,
}
