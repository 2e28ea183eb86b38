using System.Globalization;
using System.Text.Json;
using Lepton.Simulator.Running;
using Lepton.Simulator.Timeline;

namespace Lepton.Simulator.Reporting;

/// <summary>
/// Writes <c>results.json</c>, schema <see cref="Schema"/> (documented in <c>docs/SIMULATOR.md</c>):
/// the workload, the settings, and for every policy each seed's unallocated GPU % at each
/// reported arrived level with the mean and sample SD, plus per-run counters and the mean
/// allocation curve.
/// </summary>
public static class ResultsJson
{
    /// <summary>The schema identifier written to <c>schema</c>.</summary>
    public const string Schema = "lepton.ai/simulate-results";

    /// <summary>The schema version written to <c>schemaVersion</c>; bumped on any incompatible change.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Serialises a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="stream">The destination.</param>
    public static void Write(SimulationReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var o = report.Options;
        var workload = report.Workload;
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteNumber("schemaVersion", SchemaVersion);
        w.WriteString("mode", Name(o.Mode));
        w.WriteStartObject("workload");
        w.WriteString("name", workload.Name);
        w.WriteString("source", workload.Source.ToString().ToLowerInvariant());
        w.WriteString("origin", workload.Origin);
        w.WriteNumber("nodes", workload.Nodes.Count);
        w.WriteNumber("gpus", workload.GpuCapacityMilli / 1000.0);
        w.WriteNumber("pods", workload.Pods.Count);
        w.WriteNumber("boundPods", workload.BoundPods.Count);
        w.WriteEndObject();
        w.WriteString("settings", report.Settings);
        if (o.Mode == SimulationMode.Kube)
        {
            w.WriteStartObject("kube");
            w.WriteNumber("percentageOfNodesToScore", o.Kube.PercentageOfNodesToScore);
            w.WriteNumber("extenderWeight", o.Kube.ExtenderWeight);
            w.WriteString("nodeResourcesFitStrategy", o.Kube.FitStrategy.ToString());
            w.WriteNumber("nodeResourcesFitWeight", o.Kube.FitWeight);
            w.WriteNumber("balancedAllocationWeight", o.Kube.BalancedAllocationWeight);
            w.WriteString("scoreMapping", o.Mapping.ToString());
            w.WriteEndObject();
        }

        if (o.Mode == SimulationMode.Timeline)
        {
            WriteTimelineSettings(w, report);
        }

        w.WriteStartArray("seeds");
        foreach (var s in o.Seeds)
        {
            w.WriteNumberValue(s);
        }

        w.WriteEndArray();
        w.WriteStartArray("levels");
        foreach (var l in o.Levels)
        {
            w.WriteNumberValue(l);
        }

        w.WriteEndArray();
        w.WriteStartObject("typicalTasks");
        w.WriteNumber("classes", report.TypicalTasks.Classes);
        w.WriteNumber("coverage", Math.Round(report.TypicalTasks.Coverage, 4));
        w.WriteEndObject();
        w.WriteNumber("elapsedSeconds", Math.Round(report.Elapsed.TotalSeconds, 2));
        w.WriteStartArray("policies");
        foreach (var p in report.Policies)
        {
            WritePolicy(w, p, report, o);
        }

        w.WriteEndArray();
        if (report.KubeReference is { } reference)
        {
            w.WritePropertyName("kubeReference");
            WritePolicy(w, reference, report, o);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a report to a file atomically (a temporary file, then a rename).</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file.</param>
    public static void WriteFile(SimulationReport report, string path)
    {
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            Write(report, stream);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void WritePolicy(Utf8JsonWriter w, PolicySummary p, SimulationReport report, SimulationOptions o)
    {
        w.WriteStartObject();
        w.WriteString("policy", p.Policy);
        if (p.Queue is not null)
        {
            w.WriteString("queue", p.Queue);
        }
        WriteLevels(w, "unallocatedGpuPercent", p);
        if (p.Artifact is { } artifact)
        {
            WriteLevels(w, "artifactUnallocatedGpuPercent", artifact);
            w.WriteStartArray("retainedPercent");
            foreach (var l in o.Levels)
            {
                w.WriteStartObject();
                w.WriteNumber("arrivedPercent", l);
                WriteNumberOrNull(w, "value", p.Retained(report.KubeReference, l) is { } r ? Math.Round(r, 1) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (PublishedResults.TryGet(report.Workload.Name, p.Policy, out var published) && o.Mode != SimulationMode.Timeline)
        {
            w.WriteStartObject("published");
            w.WriteNumber("arrivedPercent", 100);
            w.WriteNumber("mean", published.Mean);
            w.WriteNumber("populationSd", published.Sd);
            w.WriteEndObject();
        }

        w.WriteStartObject("failedPods");
        w.WriteNumber("mean", Math.Round(p.Mean(r => r.FailedPods), 1));
        w.WriteStartArray("perSeed");
        foreach (var r in p.Runs)
        {
            w.WriteNumberValue(r.FailedPods);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (o.Mode == SimulationMode.Timeline)
        {
            WriteTimelineSummary(w, p);
        }
        else
        {
            var curve = p.MeanCurve();
            w.WriteStartObject("allocationCurve");
            w.WriteString("x", "arrivedPercent (index)");
            w.WriteStartArray("meanAllocatedPercent");
            foreach (var v in curve)
            {
                WriteValueOrNull(w, v is { } x ? Math.Round(x, 2) : null);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteStartArray("runs");
        foreach (var r in p.Runs)
        {
            WriteRun(w, r, o);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLevels(Utf8JsonWriter w, string name, PolicySummary p)
    {
        w.WriteStartArray(name);
        foreach (var l in p.Levels)
        {
            w.WriteStartObject();
            w.WriteNumber("arrivedPercent", l.Level);
            WriteNumberOrNull(w, "mean", Round(l.Mean));
            WriteNumberOrNull(w, "sd", Round(l.StandardDeviation));
            w.WriteStartArray("perSeed");
            foreach (var v in l.PerSeed)
            {
                WriteValueOrNull(w, v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteRun(Utf8JsonWriter w, RunResult r, SimulationOptions o)
    {
        w.WriteStartObject();
        w.WriteNumber("seed", r.Seed);
        if (r.Curve is not null)
        {
            w.WriteStartObject("unallocatedGpuPercent");
            foreach (var l in o.Levels)
            {
                WriteNumberOrNull(w, l.ToString(CultureInfo.InvariantCulture), r.UnallocatedAt(l));
            }

            w.WriteEndObject();
        }

        w.WriteNumber("arrivedPods", r.ArrivedPods);
        w.WriteNumber("placedPods", r.PlacedPods);
        w.WriteNumber("failedPods", r.FailedPods);
        w.WriteNumber("clones", r.CloneCount);
        w.WriteNumber("finalAllocatedPercent", Math.Round(r.FinalAllocatedPercent, 2));
        w.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 3));
        if (r.Kube is { } k)
        {
            w.WriteStartObject("kube");
            w.WriteNumber("noInTreeFit", k.NoInTreeFit);
            w.WriteNumber("extenderRejectedAll", k.ExtenderRejectedAll);
            w.WriteNumber("scoredCycles", k.ScoredCycles);
            w.WriteNumber("bindFailures", k.BindFailures);
            w.WriteEndObject();
        }

        if (r.Timeline is { } t)
        {
            w.WriteStartObject("timeline");
            w.WriteNumber("meanWaitSeconds", Math.Round(t.MeanWaitSeconds, 1));
            w.WriteNumber("p95WaitSeconds", Math.Round(t.P95WaitSeconds, 1));
            w.WriteNumber("maxWaitSeconds", Math.Round(t.MaxWaitSeconds, 1));
            w.WriteNumber("waitedPods", t.WaitedPods);
            w.WriteNumber("neverPlaced", t.NeverPlaced);
            w.WriteNumber("meanAllocatedPercent", Math.Round(t.MeanAllocatedPercent, 2));
            w.WriteNumber("peakAllocatedPercent", Math.Round(t.PeakAllocatedPercent, 2));
            w.WriteNumber("countedPods", t.CountedPods);
            w.WriteNumber("meanJctSeconds", Math.Round(t.MeanJctSeconds, 1));
            w.WriteNumber("p50JctSeconds", Math.Round(t.P50JctSeconds, 1));
            w.WriteNumber("p95JctSeconds", Math.Round(t.P95JctSeconds, 1));
            w.WriteNumber("p99JctSeconds", Math.Round(t.P99JctSeconds, 1));
            w.WriteNumber("meanBoundedSlowdown", Math.Round(t.MeanBoundedSlowdown, 3));
            w.WriteNumber("throughputPerHour", Math.Round(t.ThroughputPerHour, 3));
            w.WriteNumber("makespanSeconds", Math.Round(t.MakespanSeconds, 1));
            w.WriteNumber("preemptions", t.Preemptions);
            w.WriteNumber("lostGpuHours", Math.Round(t.LostGpuHours, 2));
            w.WriteNumber("promoted", t.Promoted);
            w.WriteNumber("predictedPods", t.PredictedPods);
            w.WriteStartArray("jctQuantiles");
            foreach (var q in t.JctQuantiles)
            {
                w.WriteNumberValue(Math.Round(q, 1));
            }

            w.WriteEndArray();
            w.WriteStartArray("series");
            foreach (var (seconds, pct) in t.Series)
            {
                w.WriteStartArray();
                w.WriteNumberValue(Math.Round(seconds, 1));
                w.WriteNumberValue(Math.Round(pct, 2));
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTimelineSettings(Utf8JsonWriter w, SimulationReport report)
    {
        var o = report.Options;
        var t = o.Timeline;
        w.WriteStartObject("timeline");
        w.WriteString("queueOrder", o.Queues.Count > 0 ? QueueOrders.NameOf(o.Queues[0]) : "fifo");
        w.WriteStartArray("queueOrders");
        foreach (var q in o.Queues)
        {
            w.WriteStringValue(QueueOrders.NameOf(q));
        }

        w.WriteEndArray();
        w.WriteString("predictor", o.PredictorName);
        if (t.Guard is { } g)
        {
            w.WriteStartObject("starvationGuard");
            w.WriteNumber("boundSeconds", g.Bound.TotalSeconds);
            w.WriteNumber("multiple", g.Multiple);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("starvationGuard");
        }

        w.WriteStartArray("lasThresholdsGpuSeconds");
        foreach (var x in t.Levels.Thresholds)
        {
            w.WriteNumberValue(x);
        }

        w.WriteEndArray();
        w.WriteNumber("checkpointEverySeconds", t.CheckpointEvery.TotalSeconds);
        w.WriteNumber("restartDelaySeconds", t.RestartDelay.TotalSeconds);
        w.WriteNumber("slowdownBoundSeconds", TimelineSettings.SlowdownBoundSeconds);
        w.WriteNumber("reportAfterFraction", t.ReportAfterFraction);
        if (o.Gpus is { } gpus)
        {
            w.WriteNumber("gpusAsked", gpus);
            w.WriteNumber("load", o.Load);
        }

        w.WriteStartArray("scenarios");
        foreach (var s in report.Scenarios)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", s.Seed);
            w.WriteNumber("nodes", s.Workload.Nodes.Count);
            w.WriteNumber("gpus", s.Gpus);
            w.WriteNumber("pods", s.Workload.Pods.Count);
            w.WriteNumber("excludedPods", s.ExcludedPods);
            w.WriteNumber("effectiveLoad", Math.Round(s.Load, 4));
            w.WriteNumber("windowSeconds", Math.Round(s.WindowSeconds, 1));
            w.WriteNumber("compression", Math.Round(s.Compression, 3));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTimelineSummary(Utf8JsonWriter w, PolicySummary p)
    {
        (string Name, Func<TimelineRunStats, double> Value)[] metrics =
        [
            ("meanJctSeconds", t => t.MeanJctSeconds), ("p50JctSeconds", t => t.P50JctSeconds), ("p95JctSeconds", t => t.P95JctSeconds),
            ("p99JctSeconds", t => t.P99JctSeconds), ("meanWaitSeconds", t => t.MeanWaitSeconds), ("maxWaitSeconds", t => t.MaxWaitSeconds),
            ("meanBoundedSlowdown", t => t.MeanBoundedSlowdown), ("throughputPerHour", t => t.ThroughputPerHour),
            ("meanAllocatedPercent", t => t.MeanAllocatedPercent), ("makespanSeconds", t => t.MakespanSeconds),
            ("preemptions", t => t.Preemptions), ("lostGpuHours", t => t.LostGpuHours), ("promoted", t => t.Promoted),
        ];
        w.WriteStartObject("timelineSummary");
        foreach (var (name, value) in metrics)
        {
            var perSeed = p.Runs.Select(r => (double?)value(r.Timeline!)).ToList();
            var (mean, sd) = Statistics.MeanSd(perSeed);
            w.WriteStartObject(name);
            WriteNumberOrNull(w, "mean", Round(mean));
            WriteNumberOrNull(w, "sd", Round(sd));
            w.WriteStartArray("perSeed");
            foreach (var v in perSeed)
            {
                WriteValueOrNull(w, v is { } x ? Math.Round(x, 3) : null);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static string Name(SimulationMode mode) => mode.ToString().ToLowerInvariant();

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteValueOrNull(Utf8JsonWriter w, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteNullValue();
        }
    }
}
