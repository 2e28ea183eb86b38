using Lepton.Models.Features;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;

namespace Lepton.Models.Training;

/// <summary>
/// Scores exactly as FGD and records, for every k-th scoring call, the feature rows of a sample
/// of the candidates and which one FGD chose (the first maximum: candidates arrive in node
/// priority order). The imitation data set of the policy trainer.
/// </summary>
internal sealed class ImitationRecorder : NodeScorer
{
    private readonly FgdScorer _fgd = new();
    private readonly int _every;
    private readonly int _maxCandidates;
    private readonly Random _random;
    private int _calls;

    public ImitationRecorder(int every, int maxCandidates, int seed)
    {
        _every = every;
        _maxCandidates = maxCandidates;
        _random = new Random(seed);
    }

    public override string Name => FgdScorer.PolicyName;

    /// <summary>Recorded rows, row-major [rows, features].</summary>
    public List<float> Rows { get; } = [];

    /// <summary>Each group's (first row, row count, chosen row offset).</summary>
    public List<(int Start, int Count, int Chosen)> Groups { get; } = [];

    public override void Score(PreScoreState state, ReadOnlySpan<NodeState> nodes, Span<int> scores)
    {
        _fgd.Score(state, nodes, scores);
        if (_calls++ % _every != 0 || nodes.Length < 2)
        {
            return;
        }

        var chosen = 0;
        for (var i = 1; i < nodes.Length; i++)
        {
            if (scores[i] > scores[chosen])
            {
                chosen = i;
            }
        }

        // The chosen node first, then a uniform sample of the others.
        var picks = new List<int> { chosen };
        var others = Enumerable.Range(0, nodes.Length).Where(i => i != chosen).ToArray();
        _random.Shuffle(others);
        picks.AddRange(others.Take(_maxCandidates - 1));
        var pod = new PodFeatures(state.Pod, state.Context);
        var start = Rows.Count / FeatureSchema.Count;
        Span<float> row = stackalloc float[FeatureSchema.Count];
        foreach (var i in picks)
        {
            FeatureBuilder.WriteRow(pod, nodes[i], row);
            foreach (var v in row)
            {
                Rows.Add(v);
            }
        }

        Groups.Add((start, picks.Count, 0));
    }

    public override int SelectCards(PreScoreState state, NodeState node, Span<int> cards) => _fgd.SelectCards(state, node, cards);
}
