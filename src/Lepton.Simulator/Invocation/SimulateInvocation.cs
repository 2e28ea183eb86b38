using System.Globalization;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Queueing;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Reporting;
using Lepton.Simulator.Running;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Invocation;

/// <summary>
/// What <c>lepton simulate</c> does: validate every argument and read every input before any run,
/// run, print the table, then write <c>results.json</c> and the plots. Any mistake in the
/// arguments or the inputs is one message on the error writer, exit code 2, and no output files.
/// </summary>
public static class SimulateInvocation
{
    /// <summary>The default output folder, relative to the working directory.</summary>
    public const string DefaultOutputDirectory = "lepton-sim-out";

    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code for a bad argument or input.</summary>
    public const int UsageError = 2;

    /// <summary>Runs the command.</summary>
    /// <param name="arguments">The arguments as typed.</param>
    /// <param name="output">Where the table (and progress) go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="interactive">Draw a progress bar (a terminal) instead of plain progress lines.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The exit code.</returns>
    public static int Run(SimulateArguments arguments, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default) =>
        Run(arguments, ScorerRegistry.CreateDefault(), output, error, interactive, cancellationToken);

    /// <summary>
    /// Runs the command with the policies of <paramref name="registry"/>: the heuristics plus
    /// whatever other assemblies registered (<c>lepton simulate --policies Learned</c> registers
    /// the learned scorer this way; the simulator itself knows no model).
    /// </summary>
    /// <param name="arguments">The arguments as typed.</param>
    /// <param name="registry">The policies <c>--policies</c> chooses from.</param>
    /// <param name="output">Where the table (and progress) go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="interactive">Draw a progress bar (a terminal) instead of plain progress lines.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The exit code.</returns>
    /// <param name="predictorLoader">Loads a predictor bundle named by <c>--predictor PATH</c> (the learned predictor registers itself this way); null when none is available.</param>
    public static int Run(SimulateArguments arguments, ScorerRegistry registry, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default, Func<string, IDurationPredictor>? predictorLoader = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(arguments, registry, out var options, out var outDir, out var message, predictorLoader)
            || !TryLoad(arguments, options.Mode, out var workload, out message))
        {
            error.WriteLine($"lepton simulate: {message}");
            return UsageError;
        }

        if (SimulationRunner.Validate(workload, options, registry) is { } invalid)
        {
            error.WriteLine($"lepton simulate: {invalid}");
            return UsageError;
        }

        output.WriteLine($"Workload: {workload.Origin}");
        SimulationReport report;
        using (var progress = new ProgressDisplay(output, interactive))
        {
            try
            {
                report = SimulationRunner.Run(workload, options, progress, registry, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("lepton simulate: cancelled; nothing written.");
                return 130;
            }
        }

        output.WriteLine();
        ConsoleReport.Write(report, output);
        Directory.CreateDirectory(outDir);
        var json = Path.Combine(outDir, "results.json");
        ResultsJson.WriteFile(report, json);
        var plots = Plots.WriteAll(report, outDir);
        output.WriteLine($"Wrote {json} and {string.Join(", ", plots)}.");
        return Success;
    }

    /// <summary>Parses and checks the arguments (not the input files).</summary>
    /// <param name="a">The arguments.</param>
    /// <param name="registry">The policies.</param>
    /// <param name="options">The simulation options.</param>
    /// <param name="outDir">The output folder.</param>
    /// <param name="message">The error, when parsing fails.</param>
    /// <param name="predictorLoader">Loads a predictor bundle for <c>--predictor PATH</c>, or null.</param>
    /// <returns>True when valid.</returns>
    internal static bool TryParse(SimulateArguments a, ScorerRegistry registry, out SimulationOptions options, out string outDir, out string message, Func<string, IDurationPredictor>? predictorLoader = null)
    {
        options = new SimulationOptions();
        outDir = a.Out ?? DefaultOutputDirectory;
        message = string.Empty;
        if (a.Unrecognized.Count > 0)
        {
            message = $"unrecognized argument '{a.Unrecognized[0]}'; see 'lepton simulate --help'";
            return false;
        }

        if (a.ClusterState is not null && (a.Nodes is not null || a.Pods is not null))
        {
            message = "--cluster-state replaces --nodes and --pods; give one or the other";
            return false;
        }

        if ((a.Nodes is null) != (a.Pods is null))
        {
            message = a.Nodes is null ? "--pods needs --nodes (the node list the pods run on)" : "--nodes needs --pods (the pod list to place)";
            return false;
        }

        if (a.Out is { Length: 0 })
        {
            message = "--out is empty";
            return false;
        }

        if (!TryEnum(a.Mode, "--mode", "artifact, kube or timeline", SimulationMode.Artifact, out SimulationMode mode, ref message)
            || !TryQueues(a.Queue, out var queues, ref message)
            || !TryEnum(a.ScoreMapping, "--score-mapping", string.Join(", ", Enum.GetNames<ScoreMapping>()), KubeDefaults.Mapping, out ScoreMapping mapping, ref message)
            || !TryFit(a.FitStrategy, out var fit, ref message)
            || !TryInt(a.Seeds, "--seeds", 1, 1000, 10, out var seeds, ref message)
            || !TryInt(a.ExtenderWeight, "--extender-weight", 1, 1000, (int)KubeDefaults.Scheduler().ExtenderWeight, out var weight, ref message)
            || !TryInt(a.BalancedAllocationWeight, "--balanced-allocation-weight", 0, 100, KubeDefaults.Scheduler().BalancedAllocationWeight, out var balanced, ref message)
            || !TryInt(a.PercentageOfNodesToScore, "--percentage-of-nodes-to-score", 0, 100, KubeDefaults.Scheduler().PercentageOfNodesToScore, out var pct, ref message))
        {
            return false;
        }

        if (!TryTimeline(a, mode, out var timeline, out var gpus, out var load, ref message)
            || !TryPredictor(a.Predictor, predictorLoader, out var predictorName, out var predictorFactory, ref message))
        {
            return false;
        }

        var policies = new List<string>();
        if (a.Policies is not null)
        {
            foreach (var p in a.Policies.Split(',', StringSplitOptions.TrimEntries))
            {
                if (p.Length == 0 || !registry.Contains(p))
                {
                    message = p.Length == 0
                        ? "--policies has an empty name"
                        : $"unknown policy '{p}' in --policies; known policies: {string.Join(", ", registry.Names)}";
                    return false;
                }

                var canonical = registry.Create(p).Name;
                if (policies.Contains(canonical))
                {
                    message = $"policy '{canonical}' appears twice in --policies";
                    return false;
                }

                policies.Add(canonical);
            }
        }

        var kube = KubeDefaults.Scheduler();
        kube.ExtenderWeight = weight;
        kube.BalancedAllocationWeight = balanced;
        kube.PercentageOfNodesToScore = pct;
        kube.FitStrategy = fit ?? kube.FitStrategy;
        options = new SimulationOptions
        {
            Mode = mode,
            Policies = policies.Count > 0 ? policies : ScorerRegistry.PaperPolicies,
            SeedCount = seeds,
            Queues = queues,
            Gpus = gpus,
            Load = load,
            Timeline = timeline,
            PredictorName = predictorName,
            PredictorFactory = predictorFactory,
            Mapping = mapping,
            Kube = kube,
        };
        return true;
    }

    private static bool TryQueues(string? text, out IReadOnlyList<QueueOrder> queues, ref string message)
    {
        queues = [QueueOrder.Fifo];
        if (text is null)
        {
            return true;
        }

        var list = new List<QueueOrder>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!QueueOrders.TryParse(name, out var order) || name.Length == 0)
            {
                message = $"--queue '{name}' is not one of {QueueOrders.All}";
                return false;
            }

            if (list.Contains(order))
            {
                message = $"queue order '{QueueOrders.NameOf(order)}' appears twice in --queue";
                return false;
            }

            list.Add(order);
        }

        queues = list;
        return true;
    }

    private static bool TryTimeline(SimulateArguments a, SimulationMode mode, out TimelineSettings settings, out int? gpus, out double load, ref string message)
    {
        settings = new TimelineSettings();
        gpus = null;
        load = 1.0;
        if (mode != SimulationMode.Timeline)
        {
            var given = new[] { ("--gpus", a.Gpus), ("--load", a.Load), ("--predictor", a.Predictor), ("--starvation-guard", a.StarvationGuard), ("--checkpoint-every", a.CheckpointEvery), ("--restart-delay", a.RestartDelay), ("--report-after", a.ReportAfter), ("--priority-first", a.PriorityFirst) }
                .FirstOrDefault(o => o.Item2 is not null);
            if (given.Item1 is { } option)
            {
                message = $"{option} applies to --mode timeline only";
                return false;
            }

            return true;
        }

        if (a.Load is not null && a.Gpus is null)
        {
            message = "--load needs --gpus (the sampled cluster the load is offered to)";
            return false;
        }

        if (!TryInt(a.Gpus, "--gpus", 1, 1_000_000, 0, out var n, ref message)
            || !TryDouble(a.Load, "--load", 0.01, 100, 1.0, out load, ref message)
            || !TryInt(a.CheckpointEvery, "--checkpoint-every", 1, 365 * 86_400, 1800, out var checkpoint, ref message)
            || !TryInt(a.RestartDelay, "--restart-delay", 0, 86_400, 60, out var restart, ref message)
            || !TryDouble(a.ReportAfter, "--report-after", 0, 0.99, 0, out var after, ref message))
        {
            return false;
        }

        var priorityFirst = false;
        if (a.PriorityFirst is { } pf)
        {
            if (pf.ToUpperInvariant() is not ("YES" or "NO" or "TRUE" or "FALSE"))
            {
                message = $"--priority-first '{pf}' is not yes or no";
                return false;
            }

            priorityFirst = pf.ToUpperInvariant() is "YES" or "TRUE";
        }

        var guard = StarvationGuard.Default;
        if (a.StarvationGuard is { } g && !string.Equals(g, "none", StringComparison.OrdinalIgnoreCase))
        {
            var parts = g.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !double.IsFinite(bound) || bound < 0
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var multiple) || !double.IsFinite(multiple) || multiple < 0)
            {
                message = $"--starvation-guard '{g}' is not BOUND_SECONDS,MULTIPLE (e.g. 604800,8) or none";
                return false;
            }

            guard = new StarvationGuard(TimeSpan.FromSeconds(bound), multiple);
        }
        else if (a.StarvationGuard is not null)
        {
            guard = null;
        }

        gpus = a.Gpus is null ? null : n;
        settings = new TimelineSettings
        {
            Guard = guard,
            PriorityFirst = priorityFirst,
            CheckpointEvery = TimeSpan.FromSeconds(checkpoint),
            RestartDelay = TimeSpan.FromSeconds(restart),
            ReportAfterFraction = after,
        };
        return true;
    }

    private static bool TryPredictor(string? text, Func<string, IDurationPredictor>? loader, out string name, out Func<Workload, IDurationPredictor>? factory, ref string message)
    {
        name = ClassMedianPredictor.Name;
        factory = null;
        if (text is null || string.Equals(text, ClassMedianPredictor.Name, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        const string Noisy = "noisy-oracle:";
        if (text.StartsWith(Noisy, StringComparison.OrdinalIgnoreCase))
        {
            if (!double.TryParse(text[Noisy.Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var sigma) || !double.IsFinite(sigma) || sigma < 0 || sigma > 10)
            {
                message = $"--predictor '{text}': sigma must be a number from 0 to 10 (noisy-oracle:0.5)";
                return false;
            }

            name = string.Create(CultureInfo.InvariantCulture, $"noisy-oracle:{sigma:0.###}");
            factory = w => new NoisyOraclePredictor(TrueSeconds(w), sigma);
            return true;
        }

        if (text.Length == 0)
        {
            message = "--predictor is empty";
            return false;
        }

        if (loader is null)
        {
            message = $"--predictor '{text}' is not class-median or noisy-oracle:SIGMA, and this build cannot load a predictor bundle";
            return false;
        }

        try
        {
            var predictor = loader(text);
            name = predictor.Version;
            factory = _ => predictor;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            message = $"--predictor '{text}': {e.Message}";
            return false;
        }
    }

    /// <summary>The true lifetime of every pod with times, by UID (what the noisy oracle perturbs).</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>Seconds by UID.</returns>
    internal static Dictionary<string, double> TrueSeconds(Workload workload)
    {
        var truth = new Dictionary<string, double>(workload.Pods.Count, StringComparer.Ordinal);
        foreach (var p in workload.Pods)
        {
            if (p.RunSeconds is { } run)
            {
                truth.TryAdd(p.Pod.Uid, run);
            }
        }

        return truth;
    }

    private static bool TryDouble(string? text, string option, double min, double max, double fallback, out double value, ref string message)
    {
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= min && value <= max)
        {
            return true;
        }

        message = string.Create(CultureInfo.InvariantCulture, $"{option} '{text}' is not a number from {min} to {max}");
        return false;
    }

    private static bool TryLoad(SimulateArguments a, SimulationMode mode, out Workload workload, out string message)
    {
        message = string.Empty;
        try
        {
            workload = a.ClusterState is { } cs ? ClusterStateWorkload.Load(cs)
                : a.Nodes is { } nodes && a.Pods is { } pods ? OpenbCsv.Load(nodes, pods)
                : SyntheticWorkload.Create(mode == SimulationMode.Timeline ? SyntheticWorkloadOptions.Timeline() : null);
            return true;
        }
        catch (WorkloadFormatException e)
        {
            workload = null!;
            message = e.Message;
            return false;
        }
    }

    private static bool TryEnum<T>(string? text, string option, string allowed, T fallback, out T value, ref string message)
        where T : struct, Enum
    {
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) && Enum.TryParse(text, ignoreCase: true, out value))
        {
            return true;
        }

        message = $"{option} '{text}' is not one of {allowed}";
        return false;
    }

    private static bool TryFit(string? text, out NodeResourcesFitStrategy? value, ref string message)
    {
        value = text?.ToUpperInvariant() switch
        {
            null => null,
            "LEAST" or "LEASTALLOCATED" => NodeResourcesFitStrategy.LeastAllocated,
            "MOST" or "MOSTALLOCATED" => NodeResourcesFitStrategy.MostAllocated,
            "NONE" or "DISABLED" => NodeResourcesFitStrategy.Disabled,
            _ => (NodeResourcesFitStrategy)(-1),
        };
        if (value is (NodeResourcesFitStrategy)(-1))
        {
            message = $"--fit-strategy '{text}' is not one of least, most or none";
            return false;
        }

        return true;
    }

    private static bool TryInt(string? text, string option, int min, int max, int fallback, out int value, ref string message)
    {
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        message = $"{option} '{text}' is not a whole number from {min} to {max}";
        return false;
    }
}
