using System.CommandLine;
using System.Globalization;
using Lepton.Models.Training;

namespace Lepton.Cli.Commands;

/// <summary>
/// <c>lepton train predictor|policy|evaluate</c>: trains the lifetime predictor and the placement
/// policy on openb traces, writes their ONNX bundles, and evaluates the policy against FGD.
/// <c>make models</c> runs <c>train predictor</c> then <c>train policy</c>.
/// </summary>
internal static class TrainCommand
{
    private const string DefaultTraces = "../shared/traces/openb";

    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var command = new Command("train", "Train Lepton's models (lifetime predictor, placement policy) on openb traces and export them to ONNX.")
        {
            Predictor(),
            Policy(),
            Evaluate(),
        };
        return command;
    }

    private static Option<string> TracesOption() => new("--traces")
    {
        Description = $"The openb trace directory (default {DefaultTraces}).",
        DefaultValueFactory = _ => DefaultTraces,
    };

    private static Option<int> SeedOption() => new("--seed")
    {
        Description = "Seed of the training randomness (deterministic up to floating-point vector width).",
        DefaultValueFactory = _ => 1,
    };

    private static Command Predictor()
    {
        var traces = TracesOption();
        var seed = SeedOption();
        var output = new Option<string>("--out") { Description = "The bundle to write.", DefaultValueFactory = _ => "models/predictor.onnx" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 60 };
        var testFraction = new Option<double>("--test-fraction") { Description = "The latest fraction of submissions held out (the time cut).", DefaultValueFactory = _ => 0.5 };
        var command = new Command("predictor", "Train the job duration predictor (quantiles of ln seconds) on a time-ordered split and compare it with the class-median baseline on the later pods.")
        {
            traces, seed, output, epochs, testFraction,
        };
        command.SetAction(result =>
        {
            var report = TrainingPipeline.TrainPredictor(
                new PredictorTrainingOptions { TracesDirectory = result.GetValue(traces)!, Seed = result.GetValue(seed), Epochs = result.GetValue(epochs), TestFraction = result.GetValue(testFraction) },
                result.GetValue(output)!,
                new TrainingProgress());
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"predictor: {report.TrainPods} pods finished before the cut (trace second {report.CutSeconds}) train; {report.HeldOutPods} submitted after it evaluate"));
            Console.WriteLine("| list | predictor | pods | MAE ln s | median rel. error | Spearman | Kendall | coverage q0.1/q0.5/q0.9 |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var e in report.Evaluations)
            {
                Row(e.Trace, "learned (v2)", e.Model);
                if (e.RequestOnly is { } r)
                {
                    Row(e.Trace, "request-only", r);
                }

                Row(e.Trace, "class median", e.Baseline);
            }

            void Row(string trace, string name, PredictorMetrics m) => Console.WriteLine(string.Create(
                c,
                $"| {trace} | {name} | {m.Pods} | {m.MaeLog:F3} | {m.MedianRelativeError:P1} | {m.Spearman:F3} | {m.Kendall:F3} | {(m.Coverage.IsDefaultOrEmpty ? "-" : string.Join(" / ", m.Coverage.Select(v => v.ToString("F2", c))))} |"));

            Console.WriteLine($"wrote {result.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static Command Policy()
    {
        var traces = TracesOption();
        var seed = SeedOption();
        var output = new Option<string>("--out") { Description = "The bundle to write.", DefaultValueFactory = _ => "models/policy.onnx" };
        var iterations = new Option<int>("--cem-iterations") { Description = "Cross-entropy-method iterations (0: FGD-equivalent residual policy).", DefaultValueFactory = _ => 4 };
        var population = new Option<int>("--cem-population") { Description = "Candidates per iteration.", DefaultValueFactory = _ => 8 };
        var cemSeeds = new Option<int>("--cem-seeds") { Description = "Simulation seeds per trace per candidate.", DefaultValueFactory = _ => 2 };
        var parallelism = new Option<int>("--parallelism") { Description = "Parallel simulations.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("policy", "Train the placement policy: imitate FGD, then search a residual for fewer unallocated GPUs in the simulator.")
        {
            traces, seed, output, iterations, population, cemSeeds, parallelism,
        };
        command.SetAction(result =>
        {
            var report = TrainingPipeline.TrainPolicy(
                new PolicyTrainingOptions
                {
                    TracesDirectory = result.GetValue(traces)!,
                    Seed = result.GetValue(seed),
                    CemIterations = result.GetValue(iterations),
                    CemPopulation = result.GetValue(population),
                    CemSeeds = result.GetValue(cemSeeds),
                    Parallelism = result.GetValue(parallelism),
                },
                result.GetValue(output)!,
                new TrainingProgress());
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"policy: {report.ImitationGroups} imitation calls, top-1 agreement with FGD {report.ImitationAgreement:P1}"));
            Console.WriteLine(string.Create(c, $"  search gain {report.SearchGain:+0.000;-0.000} pp, validation gain {report.ValidationGain:+0.000;-0.000} pp, residual {(report.SearchKept ? "kept" : "discarded (policy scores as FGD)")}"));
            Console.WriteLine($"wrote {result.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static Command Evaluate()
    {
        var traces = TracesOption();
        var model = new Option<string>("--model") { Description = "The policy bundle.", DefaultValueFactory = _ => "models/policy.onnx" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 42..42+N-1.", DefaultValueFactory = _ => 10 };
        var only = new Option<string?>("--only") { Description = "Comma-separated trace names (default: every openb trace)." };
        var onnx = new Option<bool>("--onnx-runtime") { Description = "Score through ONNX Runtime (the production path) instead of the managed forward pass." };
        var command = new Command("evaluate", "Compare the policy with FGD on openb traces (artifact mode, paired seeds) and print a Markdown table.")
        {
            traces, model, seeds, only, onnx,
        };
        command.SetAction(result =>
        {
            var names = result.GetValue(only) is { Length: > 0 } list ? list.Split(',', StringSplitOptions.TrimEntries) : OpenbTraces.All.ToArray();
            var rows = TrainingPipeline.EvaluatePolicy(result.GetValue(traces)!, result.GetValue(model)!, names, [.. Enumerable.Range(42, result.GetValue(seeds))], result.GetValue(onnx), Environment.ProcessorCount, new TrainingProgress());
            Console.WriteLine(TrainingPipeline.ToMarkdown(rows));
            Console.WriteLine(TrainingPipeline.PerSeed(rows));
            return 0;
        });
        return command;
    }
}
