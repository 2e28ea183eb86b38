using System.Buffers;
using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Models.Scoring;

/// <summary>
/// The learned placement policy (<c>Learned</c>): builds one [N, F] feature batch for all
/// candidate nodes (<see cref="FeatureBuilder"/>), runs the policy network once, and rounds its
/// outputs to integer scores 0..100. On any model trouble (missing, unloadable, mismatching,
/// NaN, failing) it answers with FGD's scores, which the feature rows already contain, counts
/// <c>lepton_scoring_fallback_total{reason}</c> and logs a warning when the reason changes: the
/// request always succeeds. Cards for fractional shares are chosen as FGD chooses them.
/// Thread-safe: one instance may serve concurrent requests.
/// </summary>
public sealed partial class LearnedScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "Learned";

    private readonly IScoringModel _model;
    private readonly ModelMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly Func<PodDemand, double?>? _predictor;
    private readonly FgdScorer _fgd = new();
    private int _lastReason;

    /// <summary>Creates the scorer.</summary>
    /// <param name="model">The policy model.</param>
    /// <param name="metrics">The metrics, or null.</param>
    /// <param name="logger">The logger, or null.</param>
    /// <param name="predictor">Predicts a pod's ln(lifetime seconds) for the feature row, or null.</param>
    public LearnedScorer(IScoringModel model, ModelMetrics? metrics = null, ILogger<LearnedScorer>? logger = null, Func<PodDemand, double?>? predictor = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _predictor = predictor;
    }

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <summary>Scoring calls answered by the heuristic since creation.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    private long _fallbacks;

    /// <inheritdoc />
    public override PreScoreState PreScore(PodDemand pod, ScoringContext context) =>
        new LearnedPreScoreState(pod, context, _predictor?.Invoke(pod));

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var n = nodes.Length;
        if (n == 0)
        {
            return;
        }

        var pod = state is LearnedPreScoreState learned ? learned.Features : new PodFeatures(state.Pod, state.Context, _predictor?.Invoke(state.Pod));
        const int f = FeatureSchema.Count;
        var features = ArrayPool<float>.Shared.Rent(n * f);
        var outputs = ArrayPool<float>.Shared.Rent(n);
        try
        {
            // FGD's scores land in `scores` first: they are the answer whenever the model is not.
            FeatureBuilder.WriteBatch(pod, nodes, features, scores);
            var reason = RunModel(features, n, outputs);
            if (reason == FallbackReason.None)
            {
                for (var i = 0; i < n; i++)
                {
                    scores[i] = ScoreQuantizer.ToScore(outputs[i]);
                }
            }

            Report(reason);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(outputs);
        }
    }

    /// <inheritdoc />
    public override int SelectCards(PreScoreState state, NodeState node, Span<int> cards) => _fgd.SelectCards(state, node, cards);

    private FallbackReason RunModel(float[] features, int rows, float[] outputs)
    {
        FallbackReason reason;
        try
        {
            reason = _model.Run(features, rows, outputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogModelThrew(_logger, e.GetType().Name, e.Message);
            return FallbackReason.InferenceError;
        }

        if (reason == FallbackReason.None && !ScoreQuantizer.AllFinite(outputs.AsSpan(0, rows)))
        {
            reason = FallbackReason.Nan;
        }

        return reason;
    }

    private void Report(FallbackReason reason)
    {
        var previous = (FallbackReason)Interlocked.Exchange(ref _lastReason, (int)reason);
        if (reason == FallbackReason.None)
        {
            if (previous != FallbackReason.None)
            {
                LogModelBack(_logger, _model.Provider);
            }

            return;
        }

        Interlocked.Increment(ref _fallbacks);
        _metrics?.Fallback(reason);
        if (previous != reason)
        {
            LogFallback(_logger, reason.ToLabel());
        }
    }
}
