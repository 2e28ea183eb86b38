using System.Globalization;
using System.Text;
using Lepton.Simulator.Running;
using Lepton.Simulator.Timeline;

namespace Lepton.Simulator.Reporting;

/// <summary>The console table: policies × metrics of the mode.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the table.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">The destination.</param>
    public static void Write(SimulationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var o = report.Options;
        var w = report.Workload;
        var seeds = o.SeedCount == 1 ? $"seed {SimulationOptions.FirstSeed}" : $"seeds {SimulationOptions.FirstSeed}..{SimulationOptions.FirstSeed + o.SeedCount - 1}";
        writer.WriteLine(Inv($"{o.Mode.ToString().ToLowerInvariant()} mode: {w.Name} ({w.Nodes.Count:N0} nodes, {w.GpuCapacityMilli / 1000.0:N0} GPUs, {w.Pods.Count:N0} pods{(w.BoundPods.Count > 0 ? Inv($", {w.BoundPods.Count:N0} already bound") : string.Empty)}), {seeds}"));
        writer.WriteLine(report.Settings);
        writer.WriteLine();
        var rows = new List<string[]>();
        string[] header;
        string? footnote = null;
        switch (o.Mode)
        {
            case SimulationMode.Timeline:
                writer.WriteLine(Inv($"Job completion time (JCT = completion − submission), queueing delay (JCT − lifetime), bounded slowdown ({TimelineSettings.SlowdownBoundSeconds:0} s bound), throughput and GPU allocation; means over seeds"));
                header = ["policy · queue", "mean JCT", "p50 JCT", "p95 JCT", "p99 JCT", "mean wait", "max wait", "slowdown", "pods/h", "GPU alloc %", "makespan", "never placed", "preempted (GPU-h lost)", "promoted"];
                foreach (var p in report.Policies)
                {
                    rows.Add([
                        p.Label,
                        Duration(p.Mean(r => r.Timeline!.MeanJctSeconds)),
                        Duration(p.Mean(r => r.Timeline!.P50JctSeconds)),
                        Duration(p.Mean(r => r.Timeline!.P95JctSeconds)),
                        Duration(p.Mean(r => r.Timeline!.P99JctSeconds)),
                        Duration(p.Mean(r => r.Timeline!.MeanWaitSeconds)),
                        Duration(p.Mean(r => r.Timeline!.MaxWaitSeconds)),
                        Inv($"{p.Mean(r => r.Timeline!.MeanBoundedSlowdown):F1}"),
                        Inv($"{p.Mean(r => r.Timeline!.ThroughputPerHour):F1}"),
                        Inv($"{p.Mean(r => r.Timeline!.MeanAllocatedPercent):F2}"),
                        Duration(p.Mean(r => r.Timeline!.MakespanSeconds)),
                        Inv($"{p.Mean(r => r.Timeline!.NeverPlaced):N0}"),
                        p.Queue == "las" ? Inv($"{p.Mean(r => r.Timeline!.Preemptions):N0} ({p.Mean(r => r.Timeline!.LostGpuHours):N0})") : "–",
                        p.Queue == "sjf-predicted" ? Inv($"{p.Mean(r => r.Timeline!.Promoted):N0}") : "–",
                    ]);
                }

                footnote = GainFootnote(report);
                break;
            case SimulationMode.Kube:
                writer.WriteLine(Inv($"Unallocated GPU % when the arrived workload reaches X% of the GPUs (mean ± sample SD); placed through kube-scheduler with Lepton as extender"));
                header = ["policy", .. o.Levels.Select(l => Inv($"kube @{l}%")), "artifact @100%", "kube − artifact", "retained @100%", "failed pods"];
                foreach (var p in report.Policies)
                {
                    var k = p.At(100)?.Mean;
                    var a = p.Artifact?.At(100)?.Mean;
                    rows.Add([
                        p.Policy,
                        .. o.Levels.Select(l => MeanSd(p.At(l))),
                        p.Artifact is { } artifact ? MeanSd(artifact.At(100)) : "–",
                        k is { } kv && a is { } av ? Inv($"{kv - av:+0.00;-0.00}") : "–",
                        p.Retained(report.KubeReference, 100) is { } r ? Inv($"{r:F0}%") : "–",
                        Inv($"{p.Mean(x => x.FailedPods):N0}"),
                    ]);
                }

                if (report.KubeReference is { } reference)
                {
                    rows.Add([reference.Policy, .. o.Levels.Select(l => MeanSd(reference.At(l))), "–", "–", "0%", Inv($"{reference.Mean(x => x.FailedPods):N0}")]);
                }

                footnote = "retained = (kube-scheduler alone − kube) / (kube-scheduler alone − artifact): the share of the policy's gain over kube-scheduler alone that survives; – where the policy gains nothing in artifact mode.";

                break;
            default:
                writer.WriteLine("Unallocated GPU % when the arrived workload reaches X% of the GPUs (mean ± sample SD over seeds)");
                var published = report.Policies.Any(p => PublishedResults.TryGet(w.Name, p.Policy, out _));
                header = ["policy", .. o.Levels.Select(l => Inv($"@{l}%")), "failed pods", .. published ? new[] { "published @100%" } : []];
                foreach (var p in report.Policies)
                {
                    var row = new List<string> { p.Policy };
                    row.AddRange(o.Levels.Select(l => MeanSd(p.At(l))));
                    row.Add(Inv($"{p.Mean(x => x.FailedPods):N0}"));
                    if (published)
                    {
                        row.Add(PublishedResults.TryGet(w.Name, p.Policy, out var v) ? Inv($"{v.Mean:F2} ± {v.Sd:F2}") : "–");
                    }

                    rows.Add([.. row]);
                }

                break;
        }

        writer.WriteLine();
        WriteTable(writer, header, rows);
        if (footnote is not null)
        {
            writer.WriteLine(footnote);
        }

        writer.WriteLine();
        writer.WriteLine(Inv($"{report.Policies.Sum(p => p.Runs.Count) + (report.KubeReference?.Runs.Count ?? 0) + report.Policies.Sum(p => p.Artifact?.Runs.Count ?? 0)} runs in {report.Elapsed.TotalSeconds:F1} s; typical-task mix: {report.TypicalTasks.Classes} classes covering {report.TypicalTasks.Coverage * 100:F1}% of the pods."));
    }

    /// <summary>
    /// Per policy, the fraction of the oracle's gain that shortest-predicted-first recovers on mean JCT,
    /// (FIFO − predicted) / (FIFO − oracle), when the report has fifo, sjf-oracle and sjf-predicted runs.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The fraction (1 = all of it), or null.</returns>
    public static double? OracleGainFraction(SimulationReport report, string policy)
    {
        ArgumentNullException.ThrowIfNull(report);
        double? Jct(string queue) => report.Policies.FirstOrDefault(p => p.Policy == policy && p.Queue == queue) is { } s ? s.Mean(r => r.Timeline!.MeanJctSeconds) : null;
        if (Jct("fifo") is not { } fifo || Jct("sjf-oracle") is not { } oracle || Jct("sjf-predicted") is not { } predicted || fifo - oracle <= 0)
        {
            return null;
        }

        return (fifo - predicted) / (fifo - oracle);
    }

    /// <summary>Formats a duration in seconds for people: seconds, minutes or hours.</summary>
    /// <param name="seconds">The duration.</param>
    /// <returns>The text.</returns>
    public static string Duration(double seconds) =>
        seconds < 120 ? Inv($"{seconds:F0} s") : seconds < 7200 ? Inv($"{seconds / 60:F1} min") : Inv($"{seconds / 3600:F1} h");

    private static string? GainFootnote(SimulationReport report)
    {
        var parts = report.Policies.Select(p => p.Policy).Distinct()
            .Select(p => OracleGainFraction(report, p) is { } f ? Inv($"{p} {f * 100:F0}%") : null)
            .Where(x => x is not null).ToList();
        return parts.Count == 0 ? null : "sjf-predicted recovers of sjf-oracle's gain over fifo on mean JCT, (fifo − predicted) / (fifo − oracle): " + string.Join(", ", parts);
    }

    private static string MeanSd(LevelSummary? l) =>
        l?.Mean is not { } m ? "–" : l.StandardDeviation is { } sd ? Inv($"{m:F2} ± {sd:F2}") : Inv($"{m:F2}");

    private static void WriteTable(TextWriter writer, string[] header, List<string[]> rows)
    {
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var r in rows)
        {
            for (var i = 0; i < r.Length; i++)
            {
                widths[i] = Math.Max(widths[i], r[i].Length);
            }
        }

        void Line(string[] cells)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < cells.Length; i++)
            {
                sb.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
                if (i < cells.Length - 1)
                {
                    sb.Append("  ");
                }
            }

            writer.WriteLine(sb.ToString().TrimEnd());
        }

        Line(header);
        Line([.. widths.Select(x => new string('-', x))]);
        foreach (var r in rows)
        {
            Line(r);
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
