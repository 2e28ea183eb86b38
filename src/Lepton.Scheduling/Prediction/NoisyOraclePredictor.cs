using System.Globalization;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Prediction;

/// <summary>
/// A predictor of known quality, for measuring what prediction error costs: the true run time (given by the simulator,
/// which knows every trace lifetime) times log-normal noise, <c>exp(σ·z)</c> with <c>z ~ N(0, 1)</c>. The noise of a pod
/// depends only on its UID and the seed, so every queue order and every call sees the same prediction. σ = 0 is the
/// oracle. Stateless and thread-safe.
/// </summary>
public sealed class NoisyOraclePredictor : IDurationPredictor
{
    private readonly IReadOnlyDictionary<string, double> _trueSeconds;
    private readonly int _seed;

    /// <summary>Creates the predictor.</summary>
    /// <param name="trueSeconds">The true run time of each pod, by UID.</param>
    /// <param name="sigma">The standard deviation of the natural log of the noise factor (0 or more).</param>
    /// <param name="seed">The noise seed.</param>
    public NoisyOraclePredictor(IReadOnlyDictionary<string, double> trueSeconds, double sigma, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(trueSeconds);
        if (!double.IsFinite(sigma) || sigma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and not negative");
        }

        _trueSeconds = trueSeconds;
        Sigma = sigma;
        _seed = seed;
        Version = string.Create(CultureInfo.InvariantCulture, $"noisy-oracle:{sigma:0.###}");
    }

    /// <summary>σ of the log-normal noise.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!_trueSeconds.TryGetValue(pod.Uid, out var truth))
        {
            prediction = default;
            return false;
        }

        var seconds = Math.Max(1, truth) * Math.Exp(Sigma * StandardNormal(pod.Uid, _seed));
        prediction = new DurationPrediction(seconds, Sigma == 0 ? DurationSource.Oracle : DurationSource.Predicted, Version);
        return true;
    }

    /// <summary>A standard normal draw that depends only on <paramref name="uid"/> and <paramref name="seed"/> (Box-Muller over a stable hash).</summary>
    /// <param name="uid">The pod's UID.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The draw.</returns>
    internal static double StandardNormal(string uid, int seed)
    {
        // FNV-1a, 64-bit: string.GetHashCode is randomised per process.
        var h = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var c in uid)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        var a = SplitMix(ref h);
        var b = SplitMix(ref h);
        var u1 = ((a >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
        var u2 = (b >> 11) * (1.0 / 9007199254740992.0);       // [0, 1)
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
