using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Onnx;
using Lepton.Scheduling.Scoring;

namespace Lepton.Models.Scoring;

/// <summary>Registers the learned policy in a <see cref="ScorerRegistry"/>.</summary>
public static class ScorerRegistryExtensions
{
    /// <summary>
    /// Registers <c>Learned</c> over a model file loaded once now (the simulator's path): every
    /// scorer created shares the one session. A missing or bad file still registers the policy;
    /// it then scores exactly as FGD and counts fallbacks.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <param name="modelPath">The policy model file.</param>
    /// <param name="provider">The execution provider option.</param>
    /// <param name="metrics">The metrics, or null for a private set.</param>
    /// <returns>The host that owns the session (dispose it when done).</returns>
    public static ScoringModelHost AddLearned(this ScorerRegistry registry, string modelPath, ExecutionProviderOption provider = ExecutionProviderOption.Auto, ModelMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        metrics ??= new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        var host = new ScoringModelHost(modelPath, ModelSchema.Policy, provider, metrics);
        registry.Register(LearnedScorer.PolicyName, () => new LearnedScorer(host, metrics));
        return host;
    }
}
