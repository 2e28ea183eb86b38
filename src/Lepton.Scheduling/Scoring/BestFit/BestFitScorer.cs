using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Scoring.BestFit;

/// <summary>
/// Best fit: prefers the node left with the least CPU and GPU after placement,
/// s = ½·(cpuLeft − cpu)/maxCpu + ½·(idle − gpu)/maxGpu, raw = trunc((1 − s)·100), then min-max
/// normalised over the candidates (FGD artifact <c>best_fit_score.go</c>). Shares take the best-fit card.
/// </summary>
public sealed class BestFitScorer : NodeScorer
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "BestFit";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pod = state.Pod;
        var scale = state.Context.Scale;
        var cpuNorm = scale.CpuNorm;
        double gpuNorm = scale.GpuNorm;
        int lo = int.MaxValue, hi = int.MinValue;
        for (var i = 0; i < nodes.Length; i++)
        {
            var n = nodes[i];
            var s = (0.5 * (n.CpuFreeMilli - pod.CpuMilli) / cpuNorm) + (0.5 * (n.GpuIdleMilli - pod.TotalGpuMilli) / gpuNorm);
            var raw = (int)((1 - s) * 100);
            scores[i] = raw;
            lo = Math.Min(lo, raw);
            hi = Math.Max(hi, raw);
        }

        ScoreNormalization.MinMaxInPlace(scores[..nodes.Length], lo, hi, MaxScore);
    }
}
