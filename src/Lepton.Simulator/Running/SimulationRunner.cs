using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Running;

/// <summary>Runs every policy on every seed, in parallel on all cores, and summarises.</summary>
public static class SimulationRunner
{
    /// <summary>Checks options against a workload before anything runs.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="options">The options.</param>
    /// <param name="registry">The policies; the default registry when null.</param>
    /// <returns>Null when valid, else one message.</returns>
    public static string? Validate(Workload workload, SimulationOptions options, ScorerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        registry ??= ScorerRegistry.CreateDefault();
        foreach (var p in options.Policies)
        {
            if (!registry.Contains(p))
            {
                return $"unknown policy '{p}'; known policies: {string.Join(", ", registry.Names)}";
            }
        }

        if (options.Policies.Count == 0)
        {
            return "no policies given";
        }

        if (options.SeedCount < 1)
        {
            return "--seeds must be at least 1";
        }

        if (options.Mode == SimulationMode.Timeline && !workload.HasTimes)
        {
            return TimelineSimulation.NoTimesMessage(workload);
        }

        if (options.Mode == SimulationMode.Timeline && options.Gpus is { } gpus && LoadedTimeline.Check(workload, gpus, options.Load) is { } loaded)
        {
            return loaded;
        }

        if (options.Mode == SimulationMode.Timeline && options.Queues.Count == 0)
        {
            return "no queue orders given";
        }

        if (workload.GpuCapacityMilli == 0)
        {
            return $"workload '{workload.Name}' has no GPU nodes";
        }

        return null;
    }

    /// <summary>The typical-task mix for a workload: from its original pods (bound and arriving), 95% popularity threshold.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The model.</returns>
    public static FragmentationModel TypicalTasks(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var pods = workload.Pods.Select(p => p.Pod).Concat(workload.BoundPods.Select(b => b.Pod));
        return FragmentationModel.FromPods(pods, 0.95);
    }

    /// <summary>Runs the simulation.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="options">The options (validate first with <see cref="Validate"/>).</param>
    /// <param name="progress">Receives a report after each run; may be null.</param>
    /// <param name="registry">The policies; the default registry when null.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The options are invalid for the workload.</exception>
    public static SimulationReport Run(Workload workload, SimulationOptions options, IProgress<RunProgress>? progress = null, ScorerRegistry? registry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        registry ??= ScorerRegistry.CreateDefault();
        if (Validate(workload, options, registry) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        var clock = Stopwatch.StartNew();
        var fragmentation = TypicalTasks(workload);
        var seeds = options.Seeds.ToArray();
        var compare = options.Mode == SimulationMode.Kube && options.CompareWithArtifact;

        // Timeline mode: one sampled cluster and one compressed arrival stream per seed, shared by every queue order and policy.
        var timeline = options.Mode == SimulationMode.Timeline;
        var scenarios = timeline && options.Gpus is { } n
            ? seeds.Select(seed => LoadedTimeline.Build(workload, seed, n, options.Load)).ToArray()
            : [];
        var predictor = timeline ? (options.PredictorFactory?.Invoke(workload) ?? new ClassMedianPredictor()) : null;
        var queues = timeline ? options.Queues.Select(q => (QueueOrder?)q).ToArray() : [null];

        // Every (mode, queue, policy, seed) to run; a null policy is the kube-scheduler-alone reference.
        var jobs = new List<(SimulationMode Mode, QueueOrder? Queue, string? Policy, int Seed)>();
        foreach (var q in queues)
        {
            foreach (var p in options.Policies)
            {
                foreach (var seed in seeds)
                {
                    jobs.Add((options.Mode, q, p, seed));
                    if (compare)
                    {
                        jobs.Add((SimulationMode.Artifact, q, p, seed));
                    }
                }
            }
        }

        if (compare)
        {
            jobs.AddRange(seeds.Select(seed => (SimulationMode.Kube, (QueueOrder?)null, (string?)null, seed)));
        }

        // Heaviest first, so the last runs to finish are short ones.
        var ordered = jobs.OrderByDescending(j => Weight(j.Policy) * (j.Mode == SimulationMode.Kube ? 2 : 1) * (j.Queue == QueueOrder.Las ? 2 : 1)).ToArray();
        var results = new ConcurrentBag<(SimulationMode Mode, QueueOrder? Queue, string? Policy, RunResult Result)>();
        var done = 0;
        Parallel.ForEach(
            ordered,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
            job =>
            {
                var scorer = job.Policy is null ? new NoPreferenceScorer() : registry.Create(job.Policy);
                RunResult result;
                if (job.Queue is { } q)
                {
                    var run = scenarios.Length > 0 ? scenarios[job.Seed - SimulationOptions.FirstSeed].Workload : workload;
                    var plan = ArrivalPlanner.Build(run, job.Seed, options.TuneRatio);
                    var settings = new TimelineSettings
                    {
                        Queue = q,
                        Predictor = predictor!,
                        Guard = options.Timeline.Guard,
                        PriorityFirst = options.Timeline.PriorityFirst,
                        Levels = options.Timeline.Levels,
                        CheckpointEvery = options.Timeline.CheckpointEvery,
                        RestartDelay = options.Timeline.RestartDelay,
                        ReportAfterFraction = options.Timeline.ReportAfterFraction,
                    };
                    result = TimelineSimulation.Run(run, plan, scorer, fragmentation, settings, cancellationToken);
                }
                else
                {
                    result = RunOne(workload, options, scorer, job.Seed, fragmentation, job.Mode, cancellationToken);
                }

                results.Add((job.Mode, job.Queue, job.Policy, result));
                progress?.Report(new RunProgress(Interlocked.Increment(ref done), ordered.Length, result));
            });

        PolicySummary Summarise(SimulationMode mode, QueueOrder? queue, string? policy)
        {
            var runs = results.Where(r => r.Mode == mode && r.Queue == queue && r.Policy == policy).Select(r => r.Result).OrderBy(r => r.Seed).ToList();
            var levels = mode == SimulationMode.Timeline
                ? []
                : options.Levels.Select(l =>
                {
                    var perSeed = runs.Select(r => r.UnallocatedAt(l)).ToList();
                    var (mean, sd) = Statistics.MeanSd(perSeed);
                    return new LevelSummary(l, perSeed, mean, sd);
                }).ToList();
            var name = policy is null ? NoPreferenceScorer.PolicyName : registry.Create(policy).Name;
            return new PolicySummary
            {
                Policy = name,
                Queue = queue is { } q ? QueueOrders.NameOf(q) : null,
                Levels = levels,
                Runs = runs,
                Artifact = compare && mode == SimulationMode.Kube && policy is not null ? Summarise(SimulationMode.Artifact, queue, policy) : null,
            };
        }

        return new SimulationReport
        {
            Options = options,
            Workload = workload,
            Policies = [.. queues.SelectMany(q => options.Policies.Select(p => Summarise(options.Mode, q, p)))],
            KubeReference = compare ? Summarise(SimulationMode.Kube, null, null) : null,
            Scenarios = scenarios,
            TypicalTasks = (fragmentation.Tasks.Count, fragmentation.Coverage),
            Elapsed = clock.Elapsed,
            Settings = options.Mode switch
            {
                SimulationMode.Kube => $"{options.Kube.Describe()}, score mapping {options.Mapping}",
                SimulationMode.Timeline => TimelineDescription(options, scenarios),
                _ => string.Create(CultureInfo.InvariantCulture, $"artifact method, tune-up to {options.TuneRatio * 100:0}% of GPUs"),
            },
        };
    }

    /// <summary>Runs one policy on one seed in the options' mode.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="options">The options.</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="fragmentation">The typical-task mix.</param>
    /// <param name="mode">The mode; the options' mode when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    public static RunResult RunOne(Workload workload, SimulationOptions options, NodeScorer scorer, int seed, FragmentationModel fragmentation, SimulationMode? mode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = ArrivalPlanner.Build(workload, seed, options.TuneRatio);
        return (mode ?? options.Mode) switch
        {
            SimulationMode.Kube => KubeSimulation.Run(workload, plan, scorer, fragmentation, options.Kube, options.Mapping, cancellationToken),
            SimulationMode.Timeline => TimelineSimulation.Run(workload, plan, scorer, fragmentation, options.Queues.Count > 0 ? options.Queues[0] : QueueOrder.Fifo, cancellationToken),
            _ => ArtifactSimulation.Run(workload, plan, scorer, fragmentation, cancellationToken),
        };
    }

    private static string TimelineDescription(SimulationOptions options, LoadedScenario[] scenarios)
    {
        var t = options.Timeline;
        var text = $"queue orders {string.Join(", ", options.Queues.Select(QueueOrders.NameOf))}";
        text += t.PriorityFirst ? "; priority first in every order" : "; priority ignored except by the priority order";
        if (options.Queues.Contains(QueueOrder.SjfPredicted))
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; sjf-predicted by {options.PredictorName}, guard {(t.Guard is { } g ? $"max({g.Bound.TotalSeconds:0} s, {g.Multiple:0.##} x predicted)" : "none")}");
        }

        if (options.Queues.Contains(QueueOrder.Las))
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; las levels at {string.Join("/", t.Levels.Thresholds.Select(x => (x / 3600).ToString("0.##", CultureInfo.InvariantCulture)))} GPU-h, checkpoint every {t.CheckpointEvery.TotalMinutes:0} min, restart delay {t.RestartDelay.TotalSeconds:0} s");
        }

        if (scenarios.Length > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; sampled cluster {scenarios.Average(s => s.Gpus):0.#} GPUs (asked {options.Gpus}), effective offered load {scenarios.Average(s => s.Load):0.###}, arrivals {scenarios.Average(s => s.Compression):0.#}x faster, {scenarios.Average(s => s.ExcludedPods):0.#} pods fit no sampled node");
        }

        if (t.ReportAfterFraction > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; metrics count pods submitted after the first {t.ReportAfterFraction:P0} of arrivals");
        }

        return text;
    }

    private static int Weight(string? policy) => policy?.ToUpperInvariant() switch
    {
        "FGD" => 10,
        "RANDOM" => 0,
        _ => 1,
    };
}
