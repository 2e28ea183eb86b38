namespace Lepton.Models.Scoring;

/// <summary>
/// Maps model outputs to kube-scheduler's integer node scores. Integers matter: ties between
/// nodes then go to the node priority, as FGD's truncated scores do (worth about 1.1 points of
/// unallocated GPU on openb, <c>traces/openb/METHOD.md</c> section 7).
/// </summary>
public static class ScoreQuantizer
{
    /// <summary>Rounds to the nearest integer (ties to even) and clamps to 0..100.</summary>
    /// <param name="value">The model output.</param>
    /// <returns>The score.</returns>
    public static int ToScore(float value) => (int)Math.Clamp(MathF.Round(value), 0f, 100f);

    /// <summary>Whether every value is finite.</summary>
    /// <param name="values">The outputs.</param>
    /// <returns>False when any is NaN or infinite.</returns>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
