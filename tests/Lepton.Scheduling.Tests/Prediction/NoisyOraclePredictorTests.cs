using Lepton.Scheduling.Prediction;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Prediction;

public class NoisyOraclePredictorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryPredict_SigmaZero_IsTheTruthMarkedOracle()
    {
        var pod = Make.Pod("a", gpus: 1);
        var sut = new NoisyOraclePredictor(new Dictionary<string, double> { [pod.Uid] = 1234 }, 0);

        Assert.True(sut.TryPredict(pod, T0, new JobHistory(), out var prediction));

        Assert.Equal(new DurationPrediction(1234, DurationSource.Oracle, "noisy-oracle:0"), prediction);
    }

    [Fact]
    public void TryPredict_UnknownPod_ReturnsFalse()
    {
        var sut = new NoisyOraclePredictor(new Dictionary<string, double>(), 1);

        Assert.False(sut.TryPredict(Make.Pod("a"), T0, new JobHistory(), out _));
    }

    [Fact]
    public void TryPredict_SameSeed_SamePrediction_LogErrorHasSigma()
    {
        var truth = Enumerable.Range(0, 4000).ToDictionary(i => $"pod-{i}", _ => 100.0);
        var sut = new NoisyOraclePredictor(truth, 0.5, seed: 7);
        var again = new NoisyOraclePredictor(truth, 0.5, seed: 7);
        var history = new JobHistory();

        var logs = truth.Keys.Select(uid =>
        {
            var pod = Make.Pod("x") with { Uid = uid };
            sut.TryPredict(pod, T0, history, out var p);
            again.TryPredict(pod, T0, history, out var q);
            Assert.Equal(p.Seconds, q.Seconds);
            return Math.Log(p.Seconds / 100);
        }).ToArray();

        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Sum(x => (x - mean) * (x - mean)) / (logs.Length - 1));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(sd, 0.45, 0.55);
    }

    [Fact]
    public void Constructor_NegativeSigma_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyOraclePredictor(new Dictionary<string, double>(), -1));
    }
}
