namespace Lepton.Models.Scoring;

/// <summary>Metric labels of <see cref="DeferralReason"/>.</summary>
public static class DeferralReasonExtensions
{
    /// <summary>The <c>reason</c> label: gpu_model_constraint or workload_mix_out_of_distribution (none when the model scores).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The label.</returns>
    public static string ToLabel(this DeferralReason reason) => reason switch
    {
        DeferralReason.GpuModelConstraint => "gpu_model_constraint",
        DeferralReason.WorkloadMixOutOfDistribution => "workload_mix_out_of_distribution",
        _ => "none",
    };
}
