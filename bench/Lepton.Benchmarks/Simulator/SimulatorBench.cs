using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Reporting;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Benchmarks.Simulator;

/// <summary>
/// The simulator's measurement harness (numbers in docs/SIMULATOR.md):
/// <c>speed</c> (60 artifact runs on openb's default trace), <c>large</c> (5,000 nodes,
/// 100,000 pods), <c>fidelity</c> (the artifact table for every openb pod list) and
/// <c>kube</c> (the kube-mode sweep that chose the extender weight, plugins and mapping).
/// </summary>
public static class SimulatorBench
{
    /// <summary>Runs a harness: <c>simulator speed|large|fidelity|kube [--traces DIR] [--seeds N]</c>.</summary>
    /// <param name="args">The arguments after <c>simulator</c>.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var traces = Option(args, "--traces") ?? FindTraces();
        var seeds = int.Parse(Option(args, "--seeds") ?? "10", CultureInfo.InvariantCulture);
        var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a)) ?? "speed";
        return Task.FromResult(what switch
        {
            "speed" => Speed(traces, seeds),
            "large" => Large(Option(args, "--policies") ?? "BestFit,FGD", int.Parse(Option(args, "--nodes") ?? "5000", CultureInfo.InvariantCulture), int.Parse(Option(args, "--pods") ?? "100000", CultureInfo.InvariantCulture)),
            "fidelity" => Fidelity(traces, seeds, Option(args, "--only")),
            "kube" => KubeSweep(traces, seeds, Option(args, "--policies") ?? "BestFit,FGD", Option(args, "--configs")),
            _ => Usage(),
        });
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: simulator speed|large|fidelity|kube [--traces DIR] [--seeds N] [--policies A,B] [--nodes N --pods N] [--only TRACE] [--configs NAME,..]");
        return 2;
    }

    private static int Speed(string? traces, int seeds)
    {
        var workload = Openb(traces, "openb_pod_list_default");
        var clock = Stopwatch.StartNew();
        var report = SimulationRunner.Run(workload, new SimulationOptions { SeedCount = seeds });
        var wall = clock.Elapsed.TotalSeconds;
        ConsoleReport.Write(report, Console.Out);
        Console.WriteLine();
        Console.WriteLine(Inv($"{report.Policies.Sum(p => p.Runs.Count)} artifact runs on {workload.Name}: {wall:F1} s wall on {Environment.ProcessorCount} cores"));
        foreach (var p in report.Policies)
        {
            Console.WriteLine(Inv($"  {p.Policy,-14} {p.Runs.Average(r => r.Elapsed.TotalSeconds):F2} s per run (mean of {p.Runs.Count}, runs in parallel)"));
        }

        return 0;
    }

    private static int Large(string policies, int nodes, int pods)
    {
        var clock = Stopwatch.StartNew();
        var workload = SyntheticWorkload.Create(new SyntheticWorkloadOptions { NodeCount = nodes, PodCount = pods });
        Console.WriteLine(Inv($"synthetic workload: {workload.Nodes.Count:N0} nodes, {workload.GpuCapacityMilli / 1000:N0} GPUs, {workload.Pods.Count:N0} pods ({workload.Pods.Sum(p => p.Pod.TotalGpuMilli) * 100.0 / workload.GpuCapacityMilli:F0}% of the GPUs) built in {clock.Elapsed.TotalSeconds:F1} s"));
        foreach (var policy in policies.Split(','))
        {
            clock.Restart();
            var report = SimulationRunner.Run(workload, new SimulationOptions { Policies = [policy], SeedCount = 1, MaxParallelism = 1 });
            var run = report.Policies[0].Runs[0];
            Console.WriteLine(Inv($"  {policy,-8} one run (one core): {clock.Elapsed.TotalSeconds:F1} s, {run.ArrivedPods:N0} pods arrived ({run.CloneCount:N0} clones), {run.PlacedPods:N0} placed, unallocated at 100%: {run.UnallocatedAt(100):F2}%"));
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(Inv($"peak working set: {self.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB"));
        return 0;
    }

    private static int Fidelity(string? traces, int seeds, string? only)
    {
        if (traces is null)
        {
            Console.Error.WriteLine("the openb traces are not found; pass --traces DIR");
            return 2;
        }

        var md = new StringBuilder();
        md.AppendLine("| workload | policy | reproduced @100% (mean ± sample SD) | published (mean ± pop. SD) | difference | tolerance | @110% | @130% |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        var failures = 0;
        foreach (var file in Directory.GetFiles(traces, "openb_pod_list_*.csv").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (only is not null && !name.Contains(only, StringComparison.Ordinal))
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            var report = SimulationRunner.Run(Openb(traces, name), new SimulationOptions { SeedCount = seeds });
            Console.Error.WriteLine(Inv($"{name}: {clock.Elapsed.TotalSeconds:F1} s"));
            foreach (var p in report.Policies)
            {
                var at = p.At(100)!;
                PublishedResults.TryGet(name, p.Policy, out var pub);
                var diff = at.Mean!.Value - pub.Mean;
                var ok = Math.Abs(diff) <= PublishedResults.Tolerance(p.Policy);
                failures += ok ? 0 : 1;
                md.AppendLine(Inv($"| {name} | {p.Policy} | {at.Mean:F2} ± {at.StandardDeviation:F2} | {pub.Mean:F2} ± {pub.Sd:F2} | {diff:+0.00;-0.00} | ±{PublishedResults.Tolerance(p.Policy):F1} {(ok ? "✓" : "✗")} | {p.At(110)!.Mean:F2} | {p.At(130)!.Mean:F2} |"));
            }
        }

        Console.WriteLine(md);
        Console.WriteLine(Inv($"{failures} outside tolerance"));
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The kube-mode configurations compared (a name, the scheduler options, the mapping).</summary>
    /// <returns>The configurations.</returns>
    public static IReadOnlyList<(string Name, KubeSchedulerOptions Options, ScoreMapping Mapping)> KubeConfigurations()
    {
        static KubeSchedulerOptions O(long weight, NodeResourcesFitStrategy fit, int balanced, int pct = 100) =>
            new() { ExtenderWeight = weight, FitStrategy = fit, BalancedAllocationWeight = balanced, PercentageOfNodesToScore = pct };
        const NodeResourcesFitStrategy least = NodeResourcesFitStrategy.LeastAllocated;
        const NodeResourcesFitStrategy most = NodeResourcesFitStrategy.MostAllocated;
        const NodeResourcesFitStrategy none = NodeResourcesFitStrategy.Disabled;
        const ScoreMapping minmax = ScoreMapping.MinMax;
        return
        [
            ("defaults-w1", O(1, least, 1), minmax),
            ("defaults-w5", O(5, least, 1), minmax),
            ("defaults-w20", O(20, least, 1), minmax),
            ("balanced-w1", O(1, none, 1), minmax),
            ("most-w1", O(1, most, 1), minmax),
            ("none-minmax", O(1, none, 0), minmax),
            ("none-truncated", O(1, none, 0), ScoreMapping.MinMaxTruncated),
            ("none-rank", O(1, none, 0), ScoreMapping.Rank),
            ("none-toponly", O(1, none, 0), ScoreMapping.TopOnly),
            ("none-divide", O(1, none, 0), ScoreMapping.Divide),
            ("defaults-w5-rank", O(5, least, 1), ScoreMapping.Rank),
            ("defaults-w5-toponly", O(5, least, 1), ScoreMapping.TopOnly),
            ("defaults-w20-rank", O(20, least, 1), ScoreMapping.Rank),
            ("defaults-w5-adaptive", O(5, least, 1, 0), minmax),
            ("defaults-w1-adaptive", O(1, least, 1, 0), minmax),
            ("none-stablerank", O(1, none, 0), ScoreMapping.StableRank),
            ("defaults-w1-stablerank", O(1, least, 1), ScoreMapping.StableRank),
            ("defaults-w5-stablerank", O(5, least, 1), ScoreMapping.StableRank),
            ("defaults-w25-stablerank", O(25, least, 1), ScoreMapping.StableRank),
            ("defaults-w25-stablerank-adaptive", O(25, least, 1, 0), ScoreMapping.StableRank),
        ];
    }

    private static int KubeSweep(string? traces, int seeds, string policies, string? configs)
    {
        var workload = Openb(traces, "openb_pod_list_default");
        var names = policies.Split(',');
        var fragmentation = SimulationRunner.TypicalTasks(workload);
        var registry = ScorerRegistry.CreateDefault();
        var md = new StringBuilder();
        md.AppendLine(Inv($"| configuration | {string.Join(" | ", names)} | kube-scheduler alone | time |"));
        md.AppendLine(Inv($"|---|{string.Concat(names.Select(_ => "---|"))}---|---|"));
        var artifact = SimulationRunner.Run(workload, new SimulationOptions { Policies = names, SeedCount = seeds });
        var header = Inv($"| artifact mode (the policy's score alone, node-priority ties) | {string.Join(" | ", artifact.Policies.Select(p => Cell(p.At(100))))} | – | {artifact.Elapsed.TotalSeconds:F0} s |");
        md.AppendLine(header);
        Console.Error.WriteLine(header);
        var selected = configs?.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, options, mapping) in KubeConfigurations())
        {
            if (selected is not null && !selected.Contains(name))
            {
                continue;
            }

            // Every (policy or the kube-scheduler-alone reference, seed) of this configuration, in parallel.
            var clock = Stopwatch.StartNew();
            var simulation = new SimulationOptions { Mode = SimulationMode.Kube, SeedCount = seeds, Kube = options, Mapping = mapping };
            var jobs = names.Select(n => (Policy: (string?)n, Weight: n == "FGD" ? 10 : 1)).Append((null, 1))
                .SelectMany(p => Enumerable.Range(SimulationOptions.FirstSeed, seeds).Select(s => (p.Policy, p.Weight, Seed: s)))
                .OrderByDescending(j => j.Weight).ToArray();
            var results = new System.Collections.Concurrent.ConcurrentBag<(string? Policy, double Value)>();
            Parallel.ForEach(jobs, job =>
            {
                NodeScorer scorer = job.Policy is null ? new NoPreferenceScorer() : registry.Create(job.Policy);
                var run = SimulationRunner.RunOne(workload, simulation, scorer, job.Seed, fragmentation);
                results.Add((job.Policy, run.UnallocatedAt(100) ?? double.NaN));
            });

            string Of(string? policy)
            {
                var xs = results.Where(r => r.Policy == policy).Select(r => r.Value).ToArray();
                var mean = xs.Average();
                var sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, xs.Length - 1));
                return Inv($"{mean:F2} ± {sd:F2}");
            }

            var line = Inv($"| {name}: {options.Describe()}, {mapping} | {string.Join(" | ", names.Select(n => Of(n)))} | {Of(null)} | {clock.Elapsed.TotalSeconds:F0} s |");
            md.AppendLine(line);
            Console.Error.WriteLine(line);
        }

        Console.WriteLine(md);
        return 0;
    }

    private static string Cell(LevelSummary? l) => l?.Mean is { } m ? Inv($"{m:F2} ± {l.StandardDeviation ?? 0:F2}") : "–";

    private static Workload Openb(string? traces, string pods)
    {
        if (traces is null)
        {
            throw new InvalidOperationException("The openb traces are not found; pass --traces DIR (../shared/traces/openb next to the repository).");
        }

        return OpenbCsv.Load(Path.Combine(traces, "openb_node_list_gpu_node.csv"), Path.Combine(traces, pods + ".csv"));
    }

    private static string? FindTraces()
    {
        var dir = new DirectoryInfo(Environment.CurrentDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lepton.K8s.sln")))
        {
            dir = dir.Parent;
        }

        var traces = dir?.Parent is { } parent ? Path.Combine(parent.FullName, "shared", "traces", "openb") : null;
        return traces is not null && Directory.Exists(traces) ? traces : null;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static bool IsOptionValue(string[] args, string value)
    {
        var i = Array.IndexOf(args, value);
        return i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
