using Lepton.Simulator.Running;
using ScottPlot;

namespace Lepton.Simulator.Reporting;

/// <summary>PNG plots of a report (ScottPlot): allocated GPU % against arrived workload, one line per policy.</summary>
public static class Plots
{
    private static readonly Color[] Palette =
    [
        Color.FromHex("#7f7f7f"), Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"),
        Color.FromHex("#9467bd"), Color.FromHex("#d62728"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"),
        Color.FromHex("#17becf"), Color.FromHex("#bcbd22"),
    ];

    /// <summary>Writes the mode's plots into a folder.</summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The folder.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> WriteAll(SimulationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = new List<string>();
        if (report.Options.Mode == SimulationMode.Timeline)
        {
            files.Add(Save(Timeline(report), Path.Combine(directory, "allocation-over-time.png")));
            files.Add(Save(JctCdf(report), Path.Combine(directory, "jct-cdf.png")));
        }
        else
        {
            files.Add(Save(Allocation(report, 0), Path.Combine(directory, "allocation.png")));
            files.Add(Save(Allocation(report, 80), Path.Combine(directory, "allocation-zoom.png")));
        }

        return files;
    }

    /// <summary>Allocated GPU % against arrived workload % (mean over seeds), from <paramref name="fromLevel"/>% on.</summary>
    /// <param name="report">The report.</param>
    /// <param name="fromLevel">The first arrived level shown (0 for the whole run).</param>
    /// <returns>The plot.</returns>
    public static Plot Allocation(SimulationReport report, int fromLevel)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var k = 0;
        double minY = 100;
        void AddLine(PolicySummary p, string label, bool dashed, Color color)
        {
            var curve = p.MeanCurve();
            var xs = new List<double>();
            var ys = new List<double>();
            for (var x = fromLevel; x < curve.Length; x++)
            {
                if (curve[x] is { } y)
                {
                    xs.Add(x);
                    ys.Add(y);
                    minY = Math.Min(minY, y);
                }
            }

            if (xs.Count == 0)
            {
                return;
            }

            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
            line.LegendText = label;
            line.LineWidth = 2;
            line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        }

        foreach (var p in report.Policies)
        {
            var color = Palette[k++ % Palette.Length];
            var kube = report.Options.Mode == SimulationMode.Kube;
            AddLine(p, kube ? p.Policy + " (kube)" : p.Policy, false, color);
            if (p.Artifact is { } a)
            {
                AddLine(a, p.Policy + " (artifact)", true, color);
            }
        }

        if (report.KubeReference is { } reference)
        {
            AddLine(reference, reference.Policy, false, Colors.Black);
        }

        var ideal = plot.Add.ScatterLine(new double[] { fromLevel, 100, 130 }, new double[] { fromLevel, 100, 100 }, Colors.LightGray);
        ideal.LegendText = "ideal";
        ideal.LinePattern = LinePattern.Dotted;
        plot.Title($"{report.Workload.Name}: {report.Options.Mode.ToString().ToLowerInvariant()} mode, mean of {report.Options.SeedCount} seed(s)");
        plot.XLabel("arrived workload (% of GPU capacity)");
        plot.YLabel("allocated GPUs (%)");
        plot.Axes.SetLimitsX(fromLevel, 132);
        plot.Axes.SetLimitsY(fromLevel == 0 ? 0 : Math.Floor(Math.Min(minY, fromLevel) / 5) * 5, 101);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Allocated GPU % over time (first seed of each policy).</summary>
    /// <param name="report">The report.</param>
    /// <returns>The plot.</returns>
    public static Plot Timeline(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var k = 0;
        foreach (var p in report.Policies)
        {
            var series = p.Runs.FirstOrDefault()?.Timeline?.Series;
            if (series is null || series.Count == 0)
            {
                continue;
            }

            var line = plot.Add.ScatterLine(series.Select(s => s.Seconds / 3600).ToArray(), series.Select(s => s.AllocatedPercent).ToArray(), Palette[k++ % Palette.Length]);
            line.LegendText = p.Label;
            line.LineWidth = 1.5f;
        }

        plot.Title($"{report.Workload.Name}: timeline mode, seed {SimulationOptions.FirstSeed}");
        plot.XLabel("time since the first arrival (hours)");
        plot.YLabel("allocated GPUs (%)");
        plot.Axes.SetLimitsY(0, 101);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// The JCT CDF of each queue order and policy: the fraction of counted pods whose JCT is at most x (log scale),
    /// the quantile function averaged over seeds.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <returns>The plot.</returns>
    public static Plot JctCdf(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var k = 0;
        double lo = double.MaxValue, hi = 0;
        foreach (var p in report.Policies)
        {
            var runs = p.Runs.Where(r => r.Timeline is { JctQuantiles.Count: > 0 }).ToList();
            if (runs.Count == 0)
            {
                continue;
            }

            var n = runs[0].Timeline!.JctQuantiles.Count;
            var xs = new double[n];
            var ys = new double[n];
            for (var i = 0; i < n; i++)
            {
                var mean = runs.Average(r => r.Timeline!.JctQuantiles[Math.Min(i, r.Timeline.JctQuantiles.Count - 1)]);
                xs[i] = Math.Log10(Math.Max(1, mean));
                ys[i] = 100.0 * i / (n - 1);
                lo = Math.Min(lo, xs[i]);
                hi = Math.Max(hi, xs[i]);
            }

            var line = plot.Add.ScatterLine(xs, ys, Palette[k++ % Palette.Length]);
            line.LegendText = p.Label;
            line.LineWidth = 2;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        (double Seconds, string Label)[] marks = [(1, "1 s"), (10, "10 s"), (60, "1 min"), (600, "10 min"), (3600, "1 h"), (36_000, "10 h"), (86_400, "1 d"), (864_000, "10 d"), (8_640_000, "100 d")];
        foreach (var (seconds, label) in marks)
        {
            ticks.AddMajor(Math.Log10(seconds), label);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        var runsText = report.Options.SeedCount == 1 ? "1 seed" : $"mean quantiles over {report.Options.SeedCount} seeds";
        plot.Title($"{report.Workload.Name}: JCT CDF, {runsText}");
        plot.XLabel("job completion time (completion − submission, log scale)");
        plot.YLabel("pods with JCT at most x (%)");
        if (hi > 0)
        {
            plot.Axes.SetLimitsX(Math.Max(0, lo - 0.1), hi + 0.1);
        }

        plot.Axes.SetLimitsY(0, 101);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static string Save(Plot plot, string path)
    {
        var temp = path + ".tmp.png";
        plot.SavePng(temp, 1000, 650);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
