namespace Lepton.Simulator.Running;

/// <summary>Mean and sample standard deviation.</summary>
internal static class Statistics
{
    public static (double? Mean, double? Sd) MeanSd(IEnumerable<double?> values)
    {
        var xs = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        if (xs.Length == 0)
        {
            return (null, null);
        }

        var mean = xs.Average();
        if (xs.Length < 2)
        {
            return (mean, null);
        }

        var ss = xs.Sum(x => (x - mean) * (x - mean));
        return (mean, Math.Sqrt(ss / (xs.Length - 1)));
    }
}
