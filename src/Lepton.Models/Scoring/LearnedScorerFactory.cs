using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Scheduling.Scoring;
using Microsoft.Extensions.Logging;

namespace Lepton.Models.Scoring;

/// <summary>Creates learned scorers over one shared <see cref="IScoringModel"/>.</summary>
/// <param name="model">The policy model (one session for the process).</param>
/// <param name="metrics">The metrics.</param>
/// <param name="loggerFactory">The logger factory, or null.</param>
public sealed class LearnedScorerFactory(IScoringModel model, ModelMetrics metrics, ILoggerFactory? loggerFactory = null) : ILearnedScorerFactory
{
    /// <inheritdoc />
    public NodeScorer Create() => new LearnedScorer(model, metrics, loggerFactory?.CreateLogger<LearnedScorer>());
}
