using System.Collections.Concurrent;
using System.Globalization;
using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Nn;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Models.Training;

/// <summary>
/// Trains the placement policy in two stages. (1) Imitation: FGD runs on the training traces
/// (simulation seeds ≥ 1000) are recorded, and an MLP learns to rank FGD's chosen node above the
/// other candidates (listwise softmax loss, Adam). (2) Search: the policy is FGD's own integer
/// score (a fixed skip from the <c>pair.fgd_score</c> feature) plus a residual: the imitation
/// network scaled by β, a constant, a scale α on FGD's score and a linear head over a few
/// standardised features. With the residual at zero the policy is exactly FGD; the
/// cross-entropy method searches the residual for fewer unallocated GPUs at 100% arrived
/// workload (artifact mode), paired against FGD on the same seeds, and keeps the result only if
/// held-out validation seeds confirm the gain. Deterministic for a seed (up to the machine's
/// floating-point vector width).
/// </summary>
public static class PolicyTrainer
{
    /// <summary>The standardised features the linear residual head reads.</summary>
    public static IReadOnlyList<string> HeadFeatures { get; } =
    [
        "pair.bestfit", "pair.gpu_slack", "pair.cpu_slack", "node.idle", "node.fully_free_cards", "pair.frag_after",
        "pair.fgd_delta", "node.frag", "pair.share_on_used_card", "node.partial_cards", "pair.dotprod", "node.gpu_cards",
    ];

    private const int Alpha = 0;
    private const int Constant = 1;
    private const int Beta = 2;
    private const int FirstWeight = 3;

    /// <summary>The names of the search's parameters, in vector order.</summary>
    public static IReadOnlyList<string> HeadParameterNames { get; } = ["fgd_scale", "constant", "imitation_scale", .. HeadFeatures.Select(f => "w:" + f)];

    /// <summary>Trains the policy.</summary>
    /// <param name="options">The options.</param>
    /// <param name="progress">Progress output.</param>
    /// <returns>The report with the network.</returns>
    public static PolicyReport Train(PolicyTrainingOptions options, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= TrainingProgress.Silent;
        var traces = options.Traces.Concat(options.CemTraces).Distinct().ToDictionary(t => t, t => new TraceRun(OpenbTraces.Load(options.TracesDirectory, t)));

        // Stage 1: imitation data from FGD runs.
        var jobs = options.Traces.SelectMany(t => Enumerable.Range(options.FirstTrainingSeed, options.ImitationSeeds).Select(s => (Trace: t, Seed: s))).ToArray();
        var recorders = new ImitationRecorder[jobs.Length];
        var done = 0;
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, j =>
        {
            recorders[j] = new ImitationRecorder(options.ImitationEvery, options.ImitationCandidates, options.Seed + j);
            traces[jobs[j].Trace].Run(recorders[j], jobs[j].Seed);
            progress.Report("imitation", Interlocked.Increment(ref done), jobs.Length, "recording FGD");
        });

        var (rows, groups) = Merge(recorders);
        var trunk = TrainImitation(rows, groups, options, progress, out var agreement);

        // Stage 2: the residual search.
        var theta0 = new double[FirstWeight + HeadFeatures.Count];
        theta0[Alpha] = 1;
        var cemSeeds = Enumerable.Range(options.FirstTrainingSeed + options.ImitationSeeds, options.CemSeeds).ToArray();
        var validationSeeds = Enumerable.Range(cemSeeds.Length == 0 ? options.FirstTrainingSeed + options.ImitationSeeds : cemSeeds[^1] + 1, options.ValidationSeeds).ToArray();
        var best = theta0;
        double searchGain = 0, validationGain = 0;
        var kept = false;
        if (options.CemIterations > 0 && options.CemSeeds > 0)
        {
            var evaluator = new GainEvaluator(traces, options.CemTraces, trunk, options.Parallelism);
            (best, searchGain) = Cem(evaluator, theta0, cemSeeds, options, progress);
            if (options.ValidationSeeds > 0 && best.Any(v => v != 0) && !best.SequenceEqual(theta0))
            {
                validationGain = evaluator.Gains([best], validationSeeds, progress, "validation")[0];
                kept = validationGain > 0;
                progress.Line(string.Create(CultureInfo.InvariantCulture, $"search gain {searchGain:+0.000;-0.000} pp on seeds {cemSeeds[0]}..{cemSeeds[^1]}, validation gain {validationGain:+0.000;-0.000} pp on seeds {validationSeeds[0]}..{validationSeeds[^1]}: {(kept ? "kept" : "discarded (policy = FGD)")}"));
            }

            if (!kept)
            {
                best = theta0;
            }
        }

        var network = Build(trunk, best);
        return new PolicyReport
        {
            Network = network,
            ImitationGroups = groups.Count,
            ImitationAgreement = agreement,
            Head = HeadParameterNames.Select((n, i) => (n, best[i])).ToDictionary(p => p.n, p => p.Item2),
            SearchGain = searchGain,
            ValidationGain = validationGain,
            SearchKept = kept,
            TrainingData = string.Create(CultureInfo.InvariantCulture, $"imitation: FGD on openb {string.Join(',', options.Traces)} (artifact mode, seeds {options.FirstTrainingSeed}..{options.FirstTrainingSeed + options.ImitationSeeds - 1}), every {options.ImitationEvery}th scoring call, up to {options.ImitationCandidates} candidates, {groups.Count} calls; search: CEM {options.CemIterations}x{options.CemPopulation} on {string.Join(',', options.CemTraces)} seeds {(cemSeeds.Length > 0 ? $"{cemSeeds[0]}..{cemSeeds[^1]}" : "none")}, validation seeds {(validationSeeds.Length > 0 ? $"{validationSeeds[0]}..{validationSeeds[^1]}" : "none")}; seed {options.Seed}"),
        };
    }

    /// <summary>
    /// The policy network for a residual vector: the imitation network's last layer scaled by β,
    /// a skip of 100·α on FGD's score, and the linear head folded into the skip and the bias.
    /// </summary>
    /// <param name="trunk">The imitation network (standardised, output std 1).</param>
    /// <param name="theta">α, constant, β, then one weight per <see cref="HeadFeatures"/> entry.</param>
    /// <returns>The network.</returns>
    public static Mlp Build(Mlp trunk, IReadOnlyList<double> theta)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(theta);
        var net = trunk.Clone();
        var last = net.Layers[^1];
        var beta = (float)theta[Beta];
        for (var i = 0; i < last.Weights.Length; i++)
        {
            last.Weights[i] *= beta;
        }

        last.Bias[0] = (last.Bias[0] * beta) + (float)theta[Constant];
        var skip = new float[net.InputSize];
        skip[FeatureSchema.FgdScore] = (float)(100 * theta[Alpha]);
        for (var h = 0; h < HeadFeatures.Count; h++)
        {
            var j = FeatureSchema.Names.IndexOf(HeadFeatures[h]);
            var w = (float)theta[FirstWeight + h] * net.InputScale[j];
            skip[j] += w;
            last.Bias[0] -= w * net.InputMean[j];
        }

        net.Skip = skip;
        return net;
    }

    private static (double[] Best, double Gain) Cem(GainEvaluator evaluator, double[] theta0, int[] seeds, PolicyTrainingOptions options, TrainingProgress progress)
    {
        var random = new Random(options.Seed + 7);
        var dims = theta0.Length;
        var mean = (double[])theta0.Clone();
        var sd = new double[dims];
        sd[Alpha] = 0.1;
        sd[Constant] = 0.3;
        sd[Beta] = 0.5;
        for (var i = FirstWeight; i < dims; i++)
        {
            sd[i] = 0.5;
        }

        var best = theta0;
        var bestGain = 0.0;
        for (var it = 0; it < options.CemIterations; it++)
        {
            var population = new List<double[]> { (double[])mean.Clone() };
            while (population.Count < options.CemPopulation)
            {
                population.Add([.. mean.Select((m, i) => m + (sd[i] * Gaussian(random)))]);
            }

            var gains = evaluator.Gains(population, seeds, progress, $"search {it + 1}/{options.CemIterations}");
            var order = Enumerable.Range(0, population.Count).OrderByDescending(i => gains[i]).ThenBy(i => i).ToArray();
            if (gains[order[0]] > bestGain)
            {
                bestGain = gains[order[0]];
                best = population[order[0]];
            }

            var elite = order.Take(options.CemElite).Select(i => population[i]).ToArray();
            for (var d = 0; d < dims; d++)
            {
                var m = elite.Average(e => e[d]);
                var v = elite.Average(e => (e[d] - m) * (e[d] - m));
                mean[d] = m;
                sd[d] = Math.Max(0.5 * sd[d], Math.Sqrt(v) + (0.05 * sd[d]));
            }

            progress.Line(string.Create(CultureInfo.InvariantCulture, $"search {it + 1}: best {gains[order[0]]:+0.000;-0.000} pp, mean-candidate {gains[0]:+0.000;-0.000} pp, best so far {bestGain:+0.000;-0.000} pp"));
        }

        return (best, bestGain);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static (float[] Rows, List<(int Start, int Count, int Chosen)> Groups) Merge(ImitationRecorder[] recorders)
    {
        var rows = new List<float>();
        var groups = new List<(int, int, int)>();
        foreach (var r in recorders)
        {
            var offset = rows.Count / FeatureSchema.Count;
            rows.AddRange(r.Rows);
            groups.AddRange(r.Groups.Select(g => (g.Start + offset, g.Count, g.Chosen)));
        }

        return ([.. rows], groups);
    }

    private static Mlp TrainImitation(float[] rows, List<(int Start, int Count, int Chosen)> groups, PolicyTrainingOptions options, TrainingProgress progress, out double agreement)
    {
        const int f = FeatureSchema.Count;
        var net = new Mlp([f, .. options.Hidden, 1]);
        net.Initialize(options.Seed);
        var n = rows.Length / f;
        for (var j = 0; j < f; j++)
        {
            double sum = 0, sq = 0;
            for (var i = 0; i < n; i++)
            {
                sum += rows[(i * f) + j];
            }

            var m = sum / Math.Max(1, n);
            for (var i = 0; i < n; i++)
            {
                var d = rows[(i * f) + j] - m;
                sq += d * d;
            }

            var sdv = Math.Sqrt(sq / Math.Max(1, n - 1));
            net.InputMean[j] = (float)m;
            net.InputScale[j] = sdv > 1e-6 ? (float)(1 / sdv) : 0f;
        }

        var order = Enumerable.Range(0, groups.Count).ToArray();
        var random = new Random(options.Seed + 3);
        random.Shuffle(order);
        var heldOut = order[..(order.Length / 10)];
        var train = order[(order.Length / 10)..];
        var grads = new MlpGradients(net);
        var adam = new Adam(MlpGradients.ParametersOf(net), 2e-3f);
        var scores = new float[options.ImitationCandidates];
        var y = new float[1];
        const int batch = 16;
        for (var epoch = 0; epoch < options.ImitationEpochs; epoch++)
        {
            random.Shuffle(train);
            double loss = 0;
            for (var s = 0; s < train.Length; s += batch)
            {
                grads.Clear();
                var end = Math.Min(train.Length, s + batch);
                for (var k = s; k < end; k++)
                {
                    var g = groups[train[k]];
                    net.Forward(rows.AsSpan(g.Start * f, g.Count * f), g.Count, scores);
                    var max = scores.AsSpan(0, g.Count).ToArray().Max();
                    double z = 0;
                    for (var i = 0; i < g.Count; i++)
                    {
                        z += Math.Exp(scores[i] - max);
                    }

                    loss += -(scores[g.Chosen] - max - Math.Log(z));
                    for (var i = 0; i < g.Count; i++)
                    {
                        var p = Math.Exp(scores[i] - max) / z;
                        var x = rows.AsSpan((g.Start + i) * f, f);
                        grads.Forward(x, y);
                        grads.Backward(x, [(float)(p - (i == g.Chosen ? 1 : 0))]);
                    }
                }

                grads.Scale(1f / (end - s));
                adam.Step(grads.All);
            }

            progress.Report("imitation", epoch + 1, options.ImitationEpochs, string.Create(CultureInfo.InvariantCulture, $"listwise loss {loss / Math.Max(1, train.Length):F3}"));
        }

        // Agreement: the network's top candidate has FGD's top integer score.
        var agree = 0;
        foreach (var gi in heldOut)
        {
            var g = groups[gi];
            net.Forward(rows.AsSpan(g.Start * f, g.Count * f), g.Count, scores);
            var top = 0;
            for (var i = 1; i < g.Count; i++)
            {
                if (scores[i] > scores[top])
                {
                    top = i;
                }
            }

            if (rows[((g.Start + top) * f) + FeatureSchema.FgdScore] >= rows[((g.Start + g.Chosen) * f) + FeatureSchema.FgdScore])
            {
                agree++;
            }
        }

        agreement = heldOut.Length == 0 ? double.NaN : (double)agree / heldOut.Length;

        // Normalise the output to mean 0, standard deviation 1 over the recorded rows.
        var outputs = new float[n];
        net.Forward(rows, n, outputs);
        var mean = outputs.Average(v => (double)v);
        var sd = Math.Sqrt(outputs.Average(v => (v - mean) * (v - mean)));
        var last = net.Layers[^1];
        var k1 = sd > 1e-9 ? (float)(1 / sd) : 1f;
        for (var i = 0; i < last.Weights.Length; i++)
        {
            last.Weights[i] *= k1;
        }

        last.Bias[0] = (float)((last.Bias[0] - mean) * k1);
        return net;
    }

    /// <summary>One loaded trace with its typical-task mix, run by seed.</summary>
    internal sealed class TraceRun(Workload workload)
    {
        public Workload Workload { get; } = workload;

        public FragmentationModel Fragmentation { get; } = SimulationRunner.TypicalTasks(workload);

        private readonly ConcurrentDictionary<int, double> _fgd = new();

        public double Run(NodeScorer scorer, int seed) =>
            ArtifactSimulation.Run(Workload, ArrivalPlanner.Build(Workload, seed), scorer, Fragmentation).UnallocatedAt(100) ?? double.NaN;

        public double Fgd(int seed) => _fgd.GetOrAdd(seed, s => Run(new FgdScorer(), s));
    }

    /// <summary>Paired gains (FGD − candidate unallocated points) of residual vectors.</summary>
    private sealed class GainEvaluator(Dictionary<string, TraceRun> traces, IReadOnlyList<string> names, Mlp trunk, int parallelism)
    {
        public double[] Gains(IReadOnlyList<double[]> candidates, int[] seeds, TrainingProgress progress, string stage)
        {
            var jobs = (from c in Enumerable.Range(0, candidates.Count) from t in names from s in seeds select (c, t, s)).ToArray();
            var gains = new double[jobs.Length];
            var done = 0;
            Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, j =>
            {
                var (c, t, s) = jobs[j];
                var run = traces[t];
                var scorer = new LearnedScorer(new MlpScoringModel(Build(trunk, candidates[c])));
                gains[j] = run.Fgd(s) - run.Run(scorer, s);
                progress.Report(stage, Interlocked.Increment(ref done), jobs.Length);
            });

            return [.. Enumerable.Range(0, candidates.Count).Select(c => Enumerable.Range(0, jobs.Length).Where(j => jobs[j].c == c).Average(j => gains[j]))];
        }
    }
}
