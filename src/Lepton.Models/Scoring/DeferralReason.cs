namespace Lepton.Models.Scoring;

/// <summary>
/// Why the learned scorer answered a pod with FGD's scores although the model is loaded and
/// healthy (<c>lepton_learned_scorer_deferred_total{reason}</c>): the pod, or the workload mix it
/// arrives in, is of a kind the policy was never trained on. Not a fallback:
/// <c>lepton_scoring_fallback_total</c> counts model trouble only.
/// </summary>
public enum DeferralReason
{
    /// <summary>No deferral: the model scores the pod.</summary>
    None,

    /// <summary>
    /// The pod constrains the GPU model (<see cref="Lepton.Scheduling.Inventory.PodDemand.GpuModels"/>
    /// non-empty; features <c>pod.model_constraints</c> and <c>pair.model_match</c> non-zero) while
    /// the typical-task mix has no such class.
    /// </summary>
    GpuModelConstraint,

    /// <summary>
    /// The typical-task mix of the scoring context
    /// (<see cref="Lepton.Scheduling.Scoring.ScoringContext.Fragmentation"/>) contains a class that
    /// constrains the GPU model: every pod is left to FGD while it does, constrained or not.
    /// </summary>
    WorkloadMixOutOfDistribution,
}
