using System.Globalization;
using System.Text;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Prediction;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;

namespace Lepton.Models.Training;

/// <summary>
/// The steps behind <c>lepton train</c> and <c>make models</c>: train, export the ONNX bundle
/// with its metadata, and evaluate the policy against FGD on every openb trace.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>Trains the predictor and writes its bundle.</summary>
    /// <param name="options">The options.</param>
    /// <param name="outputPath">The <c>.onnx</c> file.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>The report.</returns>
    public static PredictorReport TrainPredictor(PredictorTrainingOptions options, string outputPath, TrainingProgress? progress = null)
    {
        var report = PredictorTrainer.Train(options, progress);
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"training_cut_seconds={report.CutSeconds}"),
            string.Create(c, $"train_pods={report.TrainPods}"),
        };
        foreach (var e in report.Evaluations)
        {
            lines.Add(string.Create(c, $"{e.Trace}.heldout_pods={e.Model.Pods}"));
            Add(lines, e.Trace + ".model", e.Model);
            Add(lines, e.Trace + ".baseline_shape_median", e.Baseline);
            if (e.RequestOnly is { } r)
            {
                Add(lines, e.Trace + ".request_only", r);
            }
        }

        OnnxMlpExporter.Save(
            OnnxMlpExporter.Export(report.Network, ModelSchema.Predictor, new Dictionary<string, string>
            {
                [BundleMetadata.TrainingData] = report.TrainingData,
                [BundleMetadata.Metrics] = string.Join('\n', lines),
                [BundleMetadata.Output] = PredictorQuantiles.Description,
                [BundleMetadata.TrainingCut] = report.CutSeconds.ToString(c),
            }),
            outputPath);
        return report;
    }

    /// <summary>Trains the policy and writes its bundle.</summary>
    /// <param name="options">The options.</param>
    /// <param name="outputPath">The <c>.onnx</c> file.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>The report.</returns>
    public static PolicyReport TrainPolicy(PolicyTrainingOptions options, string outputPath, TrainingProgress? progress = null)
    {
        var report = PolicyTrainer.Train(options, progress);
        var c = CultureInfo.InvariantCulture;
        var metrics = new StringBuilder()
            .Append(c, $"imitation_groups={report.ImitationGroups}\n")
            .Append(c, $"imitation_top1_fgd_agreement={report.ImitationAgreement:F4}\n")
            .Append(c, $"search_gain_pp={report.SearchGain:F4}\n")
            .Append(c, $"validation_gain_pp={report.ValidationGain:F4}\n")
            .Append(c, $"search_kept={report.SearchKept}\n")
            .Append(string.Join('\n', report.Head.Select(h => string.Create(c, $"head.{h.Key}={h.Value:G6}"))));
        OnnxMlpExporter.Save(
            OnnxMlpExporter.Export(report.Network, ModelSchema.Policy, new Dictionary<string, string>
            {
                [BundleMetadata.TrainingData] = report.TrainingData,
                [BundleMetadata.Metrics] = metrics.ToString(),
                [BundleMetadata.Output] = "node score; Lepton rounds it to an integer 0..100 (ties go to node priority)",
            }),
            outputPath);
        return report;
    }

    /// <summary>
    /// Evaluates a policy bundle against FGD on traces and seeds, artifact mode, paired by seed.
    /// </summary>
    /// <param name="tracesDirectory">The openb trace directory.</param>
    /// <param name="modelPath">The policy bundle.</param>
    /// <param name="traces">Trace short names.</param>
    /// <param name="seeds">Simulation seeds.</param>
    /// <param name="useOnnxRuntime">Score through ONNX Runtime (the production path) instead of the managed forward pass.</param>
    /// <param name="parallelism">Parallel runs.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>One row per trace.</returns>
    public static IReadOnlyList<PolicyEvaluationRow> EvaluatePolicy(string tracesDirectory, string modelPath, IReadOnlyList<string> traces, IReadOnlyList<int> seeds, bool useOnnxRuntime, int parallelism, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(seeds);
        progress ??= TrainingProgress.Silent;
        using var host = new ScoringModelHost(modelPath, ModelSchema.Policy, ExecutionProviderOption.Cpu, new ModelMetrics(Prometheus.Metrics.NewCustomRegistry()));
        if (!host.IsLoaded)
        {
            throw new InvalidOperationException($"Cannot evaluate: {host.StatusMessage}");
        }

        var network = OnnxMlpExporter.Import(global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath)));
        var runs = traces.ToDictionary(t => t, t => new PolicyTrainer.TraceRun(OpenbTraces.Load(tracesDirectory, t)));
        var jobs = (from t in traces from s in seeds from learned in new[] { false, true } select (t, s, learned)).ToArray();
        var results = new double[jobs.Length];
        var done = 0;
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, j =>
        {
            var (t, s, learned) = jobs[j];
            NodeScorer scorer = !learned ? new FgdScorer() : new LearnedScorer(useOnnxRuntime ? host : new MlpScoringModel(network));
            results[j] = runs[t].Run(scorer, s);
            progress.Report("evaluate", Interlocked.Increment(ref done), jobs.Length);
        });

        return [.. traces.Select(t => new PolicyEvaluationRow(
            t,
            OpenbTraces.Training.Contains(t),
            seeds,
            [.. seeds.Select(s => results[Array.IndexOf(jobs, (t, s, false))])],
            [.. seeds.Select(s => results[Array.IndexOf(jobs, (t, s, true))])]))];
    }

    /// <summary>Formats evaluation rows as a Markdown table (seen traces first, then unseen).</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The table.</returns>
    public static string ToMarkdown(IReadOnlyList<PolicyEvaluationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| trace | trained on | FGD (Lepton) | Learned | Learned − FGD (paired mean) | seeds Learned better |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows.OrderByDescending(r => r.Seen).ThenBy(r => r.Trace, StringComparer.Ordinal))
        {
            sb.AppendLine(string.Create(c, $"| {r.Trace} | {(r.Seen ? "yes" : "no (unseen)")} | {r.FgdMean:F2} ± {PolicyEvaluationRow.Sd(r.Fgd):F2} | {r.LearnedMean:F2} ± {PolicyEvaluationRow.Sd(r.Learned):F2} | {r.MeanDifference:+0.00;-0.00;0.00} | {r.Wins}/{r.Seeds.Count} |"));
        }

        return sb.ToString();
    }

    /// <summary>Formats per-seed values of every row (for the record).</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>Lines <c>trace: FGD [...] Learned [...]</c>.</returns>
    public static string PerSeed(IReadOnlyList<PolicyEvaluationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var c = CultureInfo.InvariantCulture;
        return string.Join('\n', rows.Select(r => string.Create(c, $"- {r.Trace} (seeds {r.Seeds[0]}..{r.Seeds[^1]}): FGD {string.Join(' ', r.Fgd.Select(v => v.ToString("F2", c)))}; Learned {string.Join(' ', r.Learned.Select(v => v.ToString("F2", c)))}")));
    }

    // The predictor metrics as name=value lines.
    private static void Add(List<string> lines, string prefix, PredictorMetrics m)
    {
        var c = CultureInfo.InvariantCulture;
        lines.Add(string.Create(c, $"{prefix}.mae_ln_seconds={m.MaeLog:F4}"));
        lines.Add(string.Create(c, $"{prefix}.median_relative_error={m.MedianRelativeError:F4}"));
        lines.Add(string.Create(c, $"{prefix}.spearman={m.Spearman:F4}"));
        lines.Add(string.Create(c, $"{prefix}.kendall_tau_b={m.Kendall:F4}"));
        for (var q = 0; q < m.Coverage.Length; q++)
        {
            lines.Add(string.Create(c, $"{prefix}.coverage_q{PredictorQuantiles.Levels[q]:F1}={m.Coverage[q]:F4}"));
        }
    }
}
