using System.Globalization;
using Lepton.Models.Features;
using Lepton.Models.Nn;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Workloads;

namespace Lepton.Models.Training;

/// <summary>
/// Trains the lifetime predictor: an MLP regressing ln(lifetime seconds) of a job from
/// <see cref="PredictorFeatures"/>, with an L1 loss (the conditional median), on openb pods with
/// both creation and deletion times. A deterministic split holds pods out; the report compares
/// the model with the baseline "median lifetime of the job's class", class = (GPU count,
/// fractional-share bucket, QoS), on those held-out pods.
/// </summary>
public static class PredictorTrainer
{
    /// <summary>Trains and evaluates.</summary>
    /// <param name="options">The options.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>The report.</returns>
    public static PredictorReport Train(PredictorTrainingOptions options, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= TrainingProgress.Silent;
        var pods = OpenbCsv.ReadPods(OpenbTraces.PodFile(options.TracesDirectory, options.Trace))
            .Where(p => p.CreatedAtSeconds is not null && p.DeletedAtSeconds is { } d && d > p.CreatedAtSeconds)
            .OrderBy(p => p.Pod.Name, StringComparer.Ordinal)
            .ToArray();
        new Random(options.Seed).Shuffle(pods);
        var heldOut = (int)Math.Round(pods.Length * options.HeldOutFraction);
        var test = pods[..heldOut];
        var train = pods[heldOut..];
        return Train(train, test, options, progress);
    }

    /// <summary>The baseline's class of a pod: (GPU count, share bucket, QoS).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The class key.</returns>
    public static (int Gpus, int ShareBucket, int Qos) ClassOf(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var bucket = !pod.IsSharing ? 0 : pod.GpuMilli <= 250 ? 1 : pod.GpuMilli <= 500 ? 2 : pod.GpuMilli <= 750 ? 3 : 4;
        return (pod.NeedsGpu ? pod.GpuCount : 0, bucket, Features.FeatureBuilder.QosOf(pod.QosClass));
    }

    private static PredictorReport Train(WorkloadPod[] train, WorkloadPod[] test, PredictorTrainingOptions options, TrainingProgress progress)
    {
        var f = PredictorFeatures.Count;
        var (xTrain, yTrain) = Rows(train);
        var (xTest, yTest) = Rows(test);

        var sizes = new List<int> { f };
        sizes.AddRange(options.Hidden);
        sizes.Add(1);
        var net = new Mlp([.. sizes]);
        net.Initialize(options.Seed);
        Standardize(net, xTrain, train.Length);
        var mean = yTrain.Average();
        net.Layers[^1].Bias[0] = (float)Median(yTrain);

        var grads = new MlpGradients(net);
        var adam = new Adam(MlpGradients.ParametersOf(net), 3e-3f) { WeightDecay = 1e-4f };
        var order = Enumerable.Range(0, train.Length).ToArray();
        var random = new Random(options.Seed + 1);
        const int batch = 64;
        var y = new float[1];
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
                    var x = xTrain.AsSpan(i * f, f);
                    grads.Forward(x, y);
                    var err = y[0] - yTrain[i];
                    loss += Math.Abs(err);
                    grads.Backward(x, [Math.Sign(err)]);
                }

                grads.Scale(1f / (end - start));
                adam.Step(grads.All);
            }

            progress.Report("predictor", epoch + 1, options.Epochs, string.Create(CultureInfo.InvariantCulture, $"train MAE(ln s) {loss / order.Length:F3}"));
        }

        var predicted = new float[test.Length];
        net.Forward(xTest, test.Length, predicted);
        var model = RegressionMetrics.Of([.. predicted.Select(v => (double)v)], [.. yTest.Select(v => (double)v)]);

        var medians = train.GroupBy(p => ClassOf(p.Pod))
            .ToDictionary(g => g.Key, g => Median([.. g.Select(p => (float)Math.Log(Lifetime(p)))]));
        var global = Median(yTrain);
        var baselinePred = test.Select(p => medians.TryGetValue(ClassOf(p.Pod), out var m) ? m : global).ToArray();
        var baseline = RegressionMetrics.Of(baselinePred, [.. yTest.Select(v => (double)v)]);
        _ = mean;
        return new PredictorReport
        {
            Network = net,
            TrainPods = train.Length,
            HeldOutPods = test.Length,
            Model = model,
            Baseline = baseline,
            TrainingData = string.Create(CultureInfo.InvariantCulture, $"openb_pod_list_{options.Trace}.csv pods with creation and deletion times; target ln(deletion - creation seconds); {train.Length} train / {test.Length} held out (seeded shuffle, seed {options.Seed}); L1 loss, Adam, {options.Epochs} epochs, hidden [{string.Join(',', options.Hidden)}]"),
        };
    }

    private static (float[] X, float[] Y) Rows(WorkloadPod[] pods)
    {
        var f = PredictorFeatures.Count;
        var x = new float[pods.Length * f];
        var y = new float[pods.Length];
        for (var i = 0; i < pods.Length; i++)
        {
            PredictorFeatures.Write(pods[i].Pod, pods[i].CreatedAtSeconds, x.AsSpan(i * f, f));
            y[i] = (float)Math.Log(Lifetime(pods[i]));
        }

        return (x, y);
    }

    private static double Lifetime(WorkloadPod p) => Math.Max(1, p.DeletedAtSeconds!.Value - p.CreatedAtSeconds!.Value);

    private static void Standardize(Mlp net, float[] x, int rows)
    {
        var f = net.InputSize;
        for (var j = 0; j < f; j++)
        {
            double sum = 0, sq = 0;
            for (var i = 0; i < rows; i++)
            {
                sum += x[(i * f) + j];
            }

            var m = sum / rows;
            for (var i = 0; i < rows; i++)
            {
                var d = x[(i * f) + j] - m;
                sq += d * d;
            }

            var sd = Math.Sqrt(sq / Math.Max(1, rows - 1));
            net.InputMean[j] = (float)m;
            net.InputScale[j] = sd > 1e-6 ? (float)(1 / sd) : 0f;
        }
    }

    private static double Median(IReadOnlyList<float> values)
    {
        var v = values.ToArray();
        Array.Sort(v);
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2.0;
    }
}
