using Lepton.Models.Features;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;

namespace Lepton.Models.Scoring;

/// <summary>The learned scorer's per-pod state: the pod's features, computed once.</summary>
public sealed class LearnedPreScoreState : PreScoreState
{
    /// <summary>Creates the state.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="context">The scoring context.</param>
    /// <param name="predictedLogSeconds">The predicted ln(lifetime seconds), or null.</param>
    public LearnedPreScoreState(PodDemand pod, ScoringContext context, double? predictedLogSeconds)
        : base(pod, context) => Features = new PodFeatures(pod, context, predictedLogSeconds);

    /// <summary>The pod's features.</summary>
    public PodFeatures Features { get; }
}
