namespace Lepton.Simulator.Running;

/// <summary>One policy's results over every seed.</summary>
public sealed class PolicySummary
{
    /// <summary>The policy.</summary>
    public required string Policy { get; init; }

    /// <summary>The timeline queue order's name, or null outside timeline mode (a timeline report has one summary per queue order and policy).</summary>
    public string? Queue { get; init; }

    /// <summary>The policy, with the queue order in timeline mode (<c>FGD · sjf-predicted</c>), for tables and legends.</summary>
    public string Label => Queue is null ? Policy : $"{Policy} · {Queue}";

    /// <summary>Unallocated GPU % at each reported level (artifact and kube modes; empty in timeline mode).</summary>
    public required IReadOnlyList<LevelSummary> Levels { get; init; }

    /// <summary>The runs, in seed order.</summary>
    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>In kube mode, the same policy and seeds in artifact mode (for comparison); otherwise null.</summary>
    public PolicySummary? Artifact { get; init; }

    /// <summary>
    /// In kube mode, the share of the policy's artifact-mode gain over the kube-scheduler-alone
    /// reference that survives the extender interface, in percent, at <paramref name="level"/>:
    /// 100·(reference − kube) / (reference − artifact). Null outside kube mode, or when the policy
    /// gains nothing over the reference in artifact mode.
    /// </summary>
    /// <param name="reference">The kube-scheduler-alone summary.</param>
    /// <param name="level">The arrived level.</param>
    /// <returns>The retained share, or null.</returns>
    public double? Retained(PolicySummary? reference, int level)
    {
        if (reference?.At(level)?.Mean is not { } r || At(level)?.Mean is not { } k || Artifact?.At(level)?.Mean is not { } a || r - a <= 0.05)
        {
            return null;
        }

        return 100 * (r - k) / (r - a);
    }

    /// <summary>The mean over seeds of a per-run value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The mean.</returns>
    public double Mean(Func<RunResult, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Runs.Count == 0 ? 0 : Runs.Average(value);
    }

    /// <summary>The mean allocation curve over seeds (allocated GPU % at each arrived level 0..max).</summary>
    /// <returns>Values per level; null where no run has one.</returns>
    public double?[] MeanCurve()
    {
        var max = 0;
        foreach (var r in Runs)
        {
            max = Math.Max(max, r.Curve?.MaxLevel ?? -1);
        }

        var result = new double?[max + 1];
        for (var x = 0; x <= max; x++)
        {
            double sum = 0;
            var n = 0;
            foreach (var r in Runs)
            {
                if (r.Curve?.At(x) is { } v)
                {
                    sum += v;
                    n++;
                }
            }

            result[x] = n == 0 ? null : sum / n;
        }

        return result;
    }

    /// <summary>The level summary at <paramref name="level"/>, or null when it is not reported.</summary>
    /// <param name="level">The level.</param>
    /// <returns>The summary.</returns>
    public LevelSummary? At(int level) => Levels.FirstOrDefault(l => l.Level == level);
}
