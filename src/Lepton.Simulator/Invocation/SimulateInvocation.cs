using System.Globalization;
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
    public static int Run(SimulateArguments arguments, ScorerRegistry registry, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(arguments, registry, out var options, out var outDir, out var message)
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
    /// <returns>True when valid.</returns>
    internal static bool TryParse(SimulateArguments a, ScorerRegistry registry, out SimulationOptions options, out string outDir, out string message)
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
            || !TryEnum(a.Queue, "--queue", "fifo or priority", QueueOrder.Fifo, out QueueOrder queue, ref message)
            || !TryEnum(a.ScoreMapping, "--score-mapping", string.Join(", ", Enum.GetNames<ScoreMapping>()), KubeDefaults.Mapping, out ScoreMapping mapping, ref message)
            || !TryFit(a.FitStrategy, out var fit, ref message)
            || !TryInt(a.Seeds, "--seeds", 1, 1000, 10, out var seeds, ref message)
            || !TryInt(a.ExtenderWeight, "--extender-weight", 1, 1000, (int)KubeDefaults.Scheduler().ExtenderWeight, out var weight, ref message)
            || !TryInt(a.BalancedAllocationWeight, "--balanced-allocation-weight", 0, 100, KubeDefaults.Scheduler().BalancedAllocationWeight, out var balanced, ref message)
            || !TryInt(a.PercentageOfNodesToScore, "--percentage-of-nodes-to-score", 0, 100, KubeDefaults.Scheduler().PercentageOfNodesToScore, out var pct, ref message))
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
            QueueOrder = queue,
            Mapping = mapping,
            Kube = kube,
        };
        return true;
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
