using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;

namespace Lepton.Models.Features;

/// <summary>A pod's part of every feature row, computed once per pod (the PreScore step).</summary>
public sealed class PodFeatures
{
    private readonly float[] _values = new float[FeatureSchema.PodCount];

    /// <summary>Computes the pod features.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="context">The scoring context (cluster scale, fragmentation model).</param>
    /// <param name="predictedLogSeconds">The predicted ln(lifetime in seconds), or null when unknown.</param>
    public PodFeatures(PodDemand pod, ScoringContext context, double? predictedLogSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(context);
        Pod = pod;
        Context = context;
        FgdState = new PreScoreState(pod, context);
        FeatureBuilder.WritePod(pod, context.Scale, predictedLogSeconds, _values);
    }

    /// <summary>The pod.</summary>
    public PodDemand Pod { get; }

    /// <summary>The context the features were computed for.</summary>
    public ScoringContext Context { get; }

    /// <summary>The pod's state for <see cref="Scheduling.Scoring.Fgd.FgdScorer"/>, created once per pod (no allocation per node).</summary>
    internal PreScoreState FgdState { get; }

    /// <summary>The <see cref="FeatureSchema.PodCount"/> pod feature values.</summary>
    public ReadOnlySpan<float> Values => _values;
}
