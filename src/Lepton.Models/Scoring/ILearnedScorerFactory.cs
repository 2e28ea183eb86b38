using Lepton.Scheduling.Scoring;

namespace Lepton.Models.Scoring;

/// <summary>Creates <see cref="LearnedScorer"/>s over the process's one loaded policy model.</summary>
/// <example>
/// <code>
/// services.AddLeptonModels(o => o.PolicyPath = "models/policy.onnx");
/// services.AddSingleton(sp =>
/// {
///     var registry = ScorerRegistry.CreateDefault();
///     registry.AddLearned(sp.GetRequiredService&lt;ILearnedScorerFactory&gt;());
///     return registry;
/// });
/// </code>
/// </example>
public interface ILearnedScorerFactory
{
    /// <summary>Creates a scorer; every scorer shares the one model session.</summary>
    /// <returns>The scorer.</returns>
    NodeScorer Create();
}
