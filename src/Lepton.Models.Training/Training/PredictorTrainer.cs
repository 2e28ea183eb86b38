using System.Globalization;
using Lepton.Models.Features;
using Lepton.Models.Nn;
using Lepton.Models.Prediction;
using Lepton.Simulator.Workloads;

namespace Lepton.Models.Training;

/// <summary>
/// Trains the duration predictor: an MLP from <see cref="PredictorFeatures"/> (v2: the pod's fields, the submission
/// time and the history of jobs finished before the submission) to the quantiles <see cref="PredictorQuantiles.Levels"/>
/// of ln(run seconds), with the pinball loss, on an openb trace with creation and deletion times.
/// <para>
/// The split is by time: pods are replayed in submission order (<see cref="PredictorReplay"/>), the latest
/// <see cref="PredictorTrainingOptions.TestFraction"/> of submissions are held out, and the cut is the first held-out
/// submission; the model trains only on pods that finished before the cut, so no label from after the cut is used.
/// Held-out pods are scored as a live predictor would score them (history up to their own submission). The
/// comparison is the class-median baseline (<see cref="ShapeMedianDurationPredictor"/>) on the same pods, and, when
/// asked, the same network trained without history features. Further traces are evaluated with the same cut.
/// </para>
/// </summary>
public static class PredictorTrainer
{
    /// <summary>The columns a request-only model reads: the pod's own fields and the time (no history).</summary>
    public static int RequestOnlyColumns => PredictorFeatures.Names.IndexOf("shape.count");

    /// <summary>Trains and evaluates.</summary>
    /// <param name="options">The options.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>The report.</returns>
    public static PredictorReport Train(PredictorTrainingOptions options, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= TrainingProgress.Silent;
        var pods = PredictorReplay.WithLifetimes(OpenbCsv.ReadPods(OpenbTraces.PodFile(options.TracesDirectory, options.Trace)));
        if (pods.Length < 10)
        {
            throw new InvalidOperationException($"openb_pod_list_{options.Trace}.csv has {pods.Length} pods with creation and deletion times; the predictor needs at least 10.");
        }

        var first = Math.Clamp((int)Math.Round(pods.Length * (1 - options.TestFraction)), 1, pods.Length - 1);
        var cut = pods[first].CreatedAtSeconds!.Value;
        var rows = Replay(pods);
        var train = Enumerable.Range(0, pods.Length).Where(i => pods[i].DeletedAtSeconds!.Value < cut).ToArray();
        if (train.Length == 0)
        {
            throw new InvalidOperationException($"No pod of openb_pod_list_{options.Trace}.csv finished before the cut (trace second {cut}); lower the test fraction.");
        }

        var net = Fit(rows, train, options, masked: 0, progress, "predictor");
        var requestOnly = options.CompareRequestOnly ? Fit(rows, train, options, RequestOnlyColumns, progress, "request-only") : null;

        var evaluations = new List<PredictorEvaluation> { Evaluate(options.Trace, pods, rows, cut, net, requestOnly) };
        foreach (var factor in options.ArrivalCompressions)
        {
            // Submission times divided by the factor, run times kept; the held-out pods stay the same ones.
            var compressed = pods
                .Select(p => p with { CreatedAtSeconds = (long)(p.CreatedAtSeconds!.Value / factor), DeletedAtSeconds = (long)(p.CreatedAtSeconds!.Value / factor) + (p.DeletedAtSeconds!.Value - p.CreatedAtSeconds!.Value) })
                .ToArray();
            var order = PredictorReplay.WithLifetimes(compressed);
            var heldByName = pods.Where(p => p.CreatedAtSeconds!.Value >= cut).Select(p => p.Pod.Name).ToHashSet(StringComparer.Ordinal);
            evaluations.Add(Evaluate(string.Create(CultureInfo.InvariantCulture, $"{options.Trace}, arrivals ×{factor:G}"), order, Replay(order), i => heldByName.Contains(order[i].Pod.Name), net, requestOnly));
        }

        foreach (var trace in options.EvaluationTraces.Where(t => t != options.Trace))
        {
            var path = OpenbTraces.PodFile(options.TracesDirectory, trace);
            if (!File.Exists(path))
            {
                continue;
            }

            var other = PredictorReplay.WithLifetimes(OpenbCsv.ReadPods(path));
            if (other.Length == 0 || !other.Any(p => p.CreatedAtSeconds >= cut))
            {
                continue;
            }

            evaluations.Add(Evaluate(trace, other, Replay(other), cut, net, requestOnly));
            progress.Report("predictor evaluation", evaluations.Count, options.EvaluationTraces.Count + 1, trace);
        }

        var c = CultureInfo.InvariantCulture;
        return new PredictorReport
        {
            Network = net,
            TrainPods = train.Length,
            HeldOutPods = evaluations[0].Model.Pods,
            CutSeconds = cut,
            Evaluations = evaluations,
            TrainingData = string.Create(c, $"openb_pod_list_{options.Trace}.csv pods with creation and deletion times, replayed in submission order (history = pods finished before each submission); time cut at trace second {cut} (the latest {options.TestFraction:P0} of submissions held out); {train.Length} pods finished before the cut train, {evaluations[0].Model.Pods} submitted after it evaluate; target ln(deletion - creation seconds); pinball loss for quantiles {string.Join(',', PredictorQuantiles.Levels.Select(l => l.ToString(c)))}, Adam, {options.Epochs} epochs, hidden [{string.Join(',', options.Hidden)}], seed {options.Seed}"),
        };
    }

    // The feature rows, targets and baseline predictions of a trace, each written at its pod's submission.
    private static (float[] X, float[] Y, double[] Baseline) Replay(WorkloadPod[] pods)
    {
        var f = PredictorFeatures.Count;
        var x = new float[pods.Length * f];
        var y = new float[pods.Length];
        var baseline = new double[pods.Length];
        var shapeMedian = new ShapeMedianDurationPredictor();
        PredictorReplay.Run(pods, (i, pod, history) =>
        {
            var at = PredictorReplay.SubmittedAt(pod);
            PredictorFeatures.Write(pod.Pod, at, history, x.AsSpan(i * f, f));
            y[i] = (float)PredictorReplay.LogLifetime(pod);
            shapeMedian.TryPredict(pod.Pod, at, history, out var p);
            baseline[i] = Math.Log(p.Seconds);
        });
        return (x, y, baseline);
    }

    private static Mlp Fit((float[] X, float[] Y, double[] _) rows, int[] train, PredictorTrainingOptions options, int masked, TrainingProgress progress, string label)
    {
        var f = PredictorFeatures.Count;
        var q = PredictorQuantiles.Count;
        var levels = PredictorQuantiles.Levels;
        var sizes = new List<int> { f };
        sizes.AddRange(options.Hidden);
        sizes.Add(q);
        var net = new Mlp([.. sizes]);
        // A small last layer starts the model near the training quantiles (set below) instead of at random noise.
        net.Initialize(options.Seed, lastLayerScale: 0.1f);
        Standardize(net, rows.X, train);
        if (masked > 0)
        {
            for (var j = masked; j < f; j++)
            {
                net.InputScale[j] = 0f;
            }
        }

        var targets = train.Select(i => rows.Y[i]).Order().ToArray();
        for (var k = 0; k < q; k++)
        {
            net.Layers[^1].Bias[k] = targets[Math.Min(targets.Length - 1, (int)(levels[k] * targets.Length))];
        }

        var grads = new MlpGradients(net);
        var adam = new Adam(MlpGradients.ParametersOf(net), 3e-3f) { WeightDecay = 1e-4f };
        var order = (int[])train.Clone();
        var random = new Random(options.Seed + 1);
        const int batch = 64;
        var output = new float[q];
        var gradient = new float[q];
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            adam.LearningRate = 3e-3f * (1 - (0.9f * epoch / options.Epochs));
            double loss = 0;
            for (var start = 0; start < order.Length; start += batch)
            {
                grads.Clear();
                var end = Math.Min(order.Length, start + batch);
                for (var k = start; k < end; k++)
                {
                    var i = order[k];
                    var x = rows.X.AsSpan(i * f, f);
                    grads.Forward(x, output);
                    for (var j = 0; j < q; j++)
                    {
                        // Pinball loss: (1 - τ)(ŷ - y) above the target, τ(y - ŷ) below it.
                        var err = output[j] - rows.Y[i];
                        var tau = (float)levels[j];
                        loss += err >= 0 ? (1 - tau) * err : -tau * err;
                        gradient[j] = err >= 0 ? 1 - tau : -tau;
                    }

                    grads.Backward(x, gradient);
                }

                grads.Scale(1f / (end - start));
                adam.Step(grads.All);
            }

            progress.Report(label, epoch + 1, options.Epochs, string.Create(CultureInfo.InvariantCulture, $"train pinball loss {loss / Math.Max(1, order.Length):F4}"));
        }

        return net;
    }

    private static PredictorEvaluation Evaluate(string trace, WorkloadPod[] pods, (float[] X, float[] Y, double[] Baseline) rows, long cut, Mlp net, Mlp? requestOnly) =>
        Evaluate(trace, pods, rows, i => pods[i].CreatedAtSeconds!.Value >= cut, net, requestOnly);

    private static PredictorEvaluation Evaluate(string trace, WorkloadPod[] pods, (float[] X, float[] Y, double[] Baseline) rows, Func<int, bool> heldOut, Mlp net, Mlp? requestOnly)
    {
        var test = Enumerable.Range(0, pods.Length).Where(heldOut).ToArray();
        var actual = test.Select(i => (double)rows.Y[i]).ToArray();
        var baseline = test.Select(i => rows.Baseline[i]).ToArray();
        return new PredictorEvaluation(
            trace,
            Score(net, rows.X, test, actual),
            PredictorMetrics.Of(baseline, actual),
            requestOnly is null ? null : Score(requestOnly, rows.X, test, actual));
    }

    private static PredictorMetrics Score(Mlp net, float[] x, int[] test, double[] actual)
    {
        var f = PredictorFeatures.Count;
        var q = PredictorQuantiles.Count;
        var input = new float[test.Length * f];
        for (var k = 0; k < test.Length; k++)
        {
            x.AsSpan(test[k] * f, f).CopyTo(input.AsSpan(k * f, f));
        }

        var output = new float[test.Length * q];
        net.Forward(input, test.Length, output);
        var quantiles = new double[test.Length][];
        var median = new double[test.Length];
        for (var k = 0; k < test.Length; k++)
        {
            quantiles[k] = [.. output.AsSpan(k * q, q).ToArray().Select(v => (double)v)];
            median[k] = quantiles[k][PredictorQuantiles.MedianIndex];
        }

        return PredictorMetrics.Of(median, actual, quantiles);
    }

    private static void Standardize(Mlp net, float[] x, int[] rows)
    {
        var f = net.InputSize;
        for (var j = 0; j < f; j++)
        {
            double sum = 0, sq = 0;
            foreach (var i in rows)
            {
                sum += x[(i * f) + j];
            }

            var m = sum / rows.Length;
            foreach (var i in rows)
            {
                var d = x[(i * f) + j] - m;
                sq += d * d;
            }

            var sd = Math.Sqrt(sq / Math.Max(1, rows.Length - 1));
            net.InputMean[j] = (float)m;
            net.InputScale[j] = sd > 1e-6 ? (float)(1 / sd) : 0f;
        }
    }
}
