namespace Lepton.Models.Training;

/// <summary>One trace's paired comparison of the learned policy against FGD.</summary>
/// <param name="Trace">The trace's short name.</param>
/// <param name="Seen">Whether the policy trained on this trace.</param>
/// <param name="Seeds">The simulation seeds.</param>
/// <param name="Fgd">FGD's unallocated GPU % per seed.</param>
/// <param name="Learned">The learned policy's unallocated GPU % per seed.</param>
public sealed record PolicyEvaluationRow(string Trace, bool Seen, IReadOnlyList<int> Seeds, IReadOnlyList<double> Fgd, IReadOnlyList<double> Learned)
{
    /// <summary>FGD's mean.</summary>
    public double FgdMean => Fgd.Average();

    /// <summary>The learned policy's mean.</summary>
    public double LearnedMean => Learned.Average();

    /// <summary>Mean of (learned − FGD) per seed: negative means fewer unallocated GPUs than FGD.</summary>
    public double MeanDifference => Learned.Zip(Fgd).Average(p => p.First - p.Second);

    /// <summary>Seeds where the learned policy left fewer unallocated GPUs than FGD.</summary>
    public int Wins => Learned.Zip(Fgd).Count(p => p.First < p.Second);

    /// <summary>Sample standard deviation of a list.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The SD (0 for fewer than two values).</returns>
    public static double Sd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var m = values.Average();
        return Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Count - 1));
    }
}
