namespace Lepton.Scheduling.State;

/// <summary>The assume / confirm / forget lifecycle of a placement (DECISIONS.md 8).</summary>
public enum PlacementPhase
{
    /// <summary>Lepton bound the pod and accounts it; the cluster has not confirmed it yet.</summary>
    Assumed,

    /// <summary>The cluster reports the pod bound to the node.</summary>
    Bound,
}
