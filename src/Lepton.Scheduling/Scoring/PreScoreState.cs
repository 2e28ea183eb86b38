using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Scoring;

/// <summary>
/// Per-pod state computed once before scoring a batch of nodes, like kube-scheduler's PreScore
/// writing to <c>CycleState</c>. Scorers that precompute more derive from it.
/// </summary>
public class PreScoreState
{
    /// <summary>Creates the state.</summary>
    /// <param name="pod">The pod being scheduled.</param>
    /// <param name="context">The scoring context.</param>
    public PreScoreState(PodDemand pod, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(context);
        Pod = pod;
        Context = context;
    }

    /// <summary>The pod.</summary>
    public PodDemand Pod { get; }

    /// <summary>The context.</summary>
    public ScoringContext Context { get; }
}
