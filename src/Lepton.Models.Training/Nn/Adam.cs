namespace Lepton.Models.Nn;

/// <summary>
/// The Adam optimiser (Kingma and Ba) over a fixed list of parameter arrays, with optional
/// decoupled weight decay. Deterministic: plain sequential float arithmetic.
/// </summary>
public sealed class Adam
{
    private readonly float[][] _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;
    private int _step;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The arrays it updates in place.</param>
    /// <param name="learningRate">The step size.</param>
    public Adam(IReadOnlyList<float[]> parameters, float learningRate = 1e-3f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _m = [.. _parameters.Select(p => new float[p.Length])];
        _v = [.. _parameters.Select(p => new float[p.Length])];
        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Numerical floor of the denominator.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Decoupled weight decay per step (AdamW), 0 for none.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Steps taken.</summary>
    public int Steps => _step;

    /// <summary>Applies one update from gradients shaped like the parameters.</summary>
    /// <param name="gradients">One gradient array per parameter array.</param>
    public void Step(IReadOnlyList<float[]> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != _parameters.Length)
        {
            throw new ArgumentException($"Expected {_parameters.Length} gradient arrays, got {gradients.Count}.", nameof(gradients));
        }

        _step++;
        var c1 = 1 - MathF.Pow(Beta1, _step);
        var c2 = 1 - MathF.Pow(Beta2, _step);
        for (var p = 0; p < _parameters.Length; p++)
        {
            var w = _parameters[p];
            var g = gradients[p];
            var m = _m[p];
            var v = _v[p];
            for (var i = 0; i < w.Length; i++)
            {
                var gi = g[i];
                m[i] = (Beta1 * m[i]) + ((1 - Beta1) * gi);
                v[i] = (Beta2 * v[i]) + ((1 - Beta2) * gi * gi);
                var mh = m[i] / c1;
                var vh = v[i] / c2;
                w[i] -= (LearningRate * mh / (MathF.Sqrt(vh) + Epsilon)) + (LearningRate * WeightDecay * w[i]);
            }
        }
    }
}
