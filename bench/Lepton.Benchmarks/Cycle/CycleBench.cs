using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Lepton.Benchmarks.Extender;
using Lepton.Extender.Loading;
using Lepton.Kubernetes;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.State;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// The scheduling-cycle benchmark (issue 13 item 2): sequential cycles of distinct pods on one
/// keep-alive connection (<see cref="CycleClient"/>: filter with every node's name, prioritize with
/// filter's survivors), against Lepton's extender and the null extender on Kestrel at 127.0.0.1,
/// in alternating blocks (Lepton, null, then null, Lepton, ...) so that both see the same machine;
/// then the same with a concurrent bind stream (<see cref="BindStream"/>, a second connection).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Lepton.Benchmarks -- cycle [--nodes 5000]
/// [--cycles 2000] [--blocks 5] [--warmup 300] [--binds both|off|on] [--window 1000]
/// [--policy FGD] [--out FILE.md]</c>. With binds, Lepton assumes every bound pod; the oldest
/// bound pod leaves the cluster state once <c>--window</c> newer ones are bound (pods finishing),
/// so the cluster's fill stays near the synthetic one. Exits 1 when a cycle failed or a bind
/// failed other than cleanly (a bind answered with <c>Error</c> is clean).
/// </remarks>
public static class CycleBench
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="args">The arguments after <c>cycle</c>.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var o = Parse(args);
        if (o is null)
        {
            return 2;
        }

        var cluster = SyntheticCluster.Generate(o.Nodes);
        var names = cluster.Nodes.Select(n => n.Name).ToArray();
        await using var lepton = await ExtenderBenchHost.StartHttpAsync(cluster, o.Policy, nullExtender: false).ConfigureAwait(false);
        await using var baseline = await ExtenderBenchHost.StartHttpAsync(cluster, o.Policy, nullExtender: true).ConfigureAwait(false);
        Console.WriteLine($"# Scheduling cycle: {o.Nodes} nodes, policy {o.Policy}, {o.Cycles} cycles x {o.Blocks} blocks per extender, Server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} logical CPUs, load {LoadAverage()}");

        var rows = new List<Row>();
        foreach (var binds in o.BindPhases)
        {
            rows.AddRange(await PhaseAsync(o, names, lepton, baseline, binds).ConfigureAwait(false));
        }

        var table = Format(rows, o);
        Console.WriteLine();
        Console.WriteLine(table);
        if (o.Out is { } path)
        {
            await File.WriteAllTextAsync(path, table).ConfigureAwait(false);
            Console.WriteLine($"Written to {path}");
        }

        return rows.Any(r => r.Errors > 0 || r.BindsFailed > 0) ? 1 : 0;
    }

    /// <summary>The load average (1, 5, 15 minutes) from <c>/proc/loadavg</c>, or "?".</summary>
    /// <returns>The text.</returns>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static async Task<List<Row>> PhaseAsync(Options o, string[] names, ExtenderBenchHost lepton, ExtenderBenchHost baseline, bool binds)
    {
        var loadBefore = LoadAverage();
        using var l = new Target("lepton", lepton, new CycleClient(lepton.Address!, names), binds ? 1L << 40 : 1L << 36, binds ? LeptonBindHooks.Create(lepton, o.Window) : null);
        using var z = new Target("null", baseline, new CycleClient(baseline.Address!, names), binds ? 1L << 40 : 1L << 36, null);
        await BlockAsync(l, o.Warmup, record: false, binds).ConfigureAwait(false);
        await BlockAsync(z, o.Warmup, record: false, binds).ConfigureAwait(false);
        for (var b = 0; b < o.Blocks; b++)
        {
            // Alternating order (ABBA): a machine slowing down during the run falls on both.
            foreach (var target in b % 2 == 0 ? new[] { l, z } : [z, l])
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                await BlockAsync(target, o.Cycles, record: true, binds).ConfigureAwait(false);
            }
        }

        var loadAfter = LoadAverage();
        var rows = new[] { l, z }.Select(t => t.ToRow(binds, loadBefore, loadAfter)).ToList();
        foreach (var r in rows)
        {
            Console.WriteLine($"{(binds ? "binds" : "no binds"),-8} {r.Extender,-6}: {r.CyclesPerSecond:0} cycles/s, p50 {r.P50:0.000} ms, p99 {r.P99:0.000} ms, {r.MeanSurvivors:0} survivors, {r.Errors} errors{(binds ? $", binds {r.BindsOk} ok / {r.BindsRefused} refused / {r.BindsFailed} failed" : string.Empty)}; load {loadBefore} -> {loadAfter}{(r.FirstProblem is null ? string.Empty : "; first problem: " + r.FirstProblem)}");
        }

        return rows;
    }

    private static async Task BlockAsync(Target target, int count, bool record, bool binds)
    {
        var stream = binds ? new BindStream(target.Host.Address!, target.Hooks?.Before, target.Hooks?.After) : null;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var id = target.NextId++;
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var outcome = await target.Client.RunAsync(id, CancellationToken.None).ConfigureAwait(false);
                var t1 = Stopwatch.GetTimestamp();
                if (record)
                {
                    target.Record(t1 - t0, outcome);
                }

                if (outcome.Host is { } host)
                {
                    stream?.Enqueue(new BindRequest(id, host));
                }
            }
            catch (Exception e) when (e is CycleException or HttpRequestException or TaskCanceledException or JsonException)
            {
                target.Errors++;
                target.FirstProblem ??= e.Message;
            }
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        if (record)
        {
            target.AddBlock(count, elapsed, stream);
        }
    }

    private static string Format(List<Row> rows, Options o)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{o.Nodes} nodes, policy {o.Policy}; per extender {o.Cycles} cycles x {o.Blocks} blocks after {o.Warmup} warm-up cycles, blocks alternating Lepton/null (ABBA); one keep-alive connection for the cycles (filter with all {o.Nodes} names, prioritize with the survivors, skipped when one survives); with binds, a second connection binds every placed pod (bound window {o.Window}). Milliseconds of wall-clock time per cycle (client work included); {Environment.ProcessorCount} logical CPUs, Server GC {GCSettings.IsServerGC}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC.");
        sb.AppendLine();
        sb.AppendLine("| binds | extender | cycles/s | cycles/s per block | p50 | p90 | p99 | max | p50 / null | p99 / null | per block pair: p50 / null, p99 / null (median, min-max) | survivors (mean) | prioritized | errors | binds ok / refused / failed | load before -> after |");
        sb.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|");
        foreach (var r in rows)
        {
            var z = rows.First(b => b.Binds == r.Binds && b.Extender == "null");
            var lepton = r.Extender == "lepton";
            sb.AppendLine(c, $"| {(r.Binds ? "yes" : "no")} | {r.Extender} | {r.CyclesPerSecond:0} | {r.BlockRates} | {r.P50:0.000} | {r.P90:0.000} | {r.P99:0.000} | {r.Max:0.000} | {(lepton ? (r.P50 / z.P50).ToString("0.00", c) : string.Empty)} | {(lepton ? (r.P99 / z.P99).ToString("0.00", c) : string.Empty)} | {(lepton ? PairRatios(r.BlockP50, z.BlockP50) + "; " + PairRatios(r.BlockP99, z.BlockP99) : string.Empty)} | {r.MeanSurvivors:0} | {r.PrioritizedShare:P0} | {r.Errors} | {(r.Binds ? $"{r.BindsOk} / {r.BindsRefused} / {r.BindsFailed}" : "-")} | {r.LoadBefore} -> {r.LoadAfter} |");
        }

        sb.AppendLine();
        sb.AppendLine("Where the cycle goes: filter = the filter call and reading its answer (survivors copied into prioritize's body); prioritize = the rest of the cycle.");
        sb.AppendLine();
        sb.AppendLine("| binds | extender | filter p50 | filter p99 | prioritize p50 | prioritize p99 | filter answer KiB (mean) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine(c, $"| {(r.Binds ? "yes" : "no")} | {r.Extender} | {r.FilterP50:0.000} | {r.FilterP99:0.000} | {r.PrioritizeP50:0.000} | {r.PrioritizeP99:0.000} | {r.FilterAnswerKiB:0.0} |");
        }

        if (rows.FirstOrDefault(r => r.FirstProblem is not null) is { } problem)
        {
            sb.AppendLine();
            sb.AppendLine(c, $"First problem ({problem.Extender}): {problem.FirstProblem}");
        }

        return sb.ToString();
    }

    // Lepton's block b against the null extender's block b (run next to it): the median ratio and its range.
    private static string PairRatios(List<double> lepton, List<double> baseline)
    {
        var ratios = lepton.Zip(baseline, (l, z) => l / z).Order().ToArray();
        if (ratios.Length == 0)
        {
            return "-";
        }

        var median = ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{median:0.00} ({ratios[0]:0.00}-{ratios[^1]:0.00})");
    }

    private static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            i++;
            switch (args[i - 1])
            {
                case "--nodes":
                    o.Nodes = Positive(value);
                    break;
                case "--cycles":
                    o.Cycles = Positive(value);
                    break;
                case "--blocks":
                    o.Blocks = Positive(value);
                    break;
                case "--warmup":
                    o.Warmup = Positive(value);
                    break;
                case "--window":
                    o.Window = Positive(value);
                    break;
                case "--policy":
                    o.Policy = value;
                    break;
                case "--out":
                    o.Out = value;
                    break;
                case "--binds":
                    o.BindPhases = value switch { "off" => [false], "on" => [true], "both" => [false, true], _ => [] };
                    break;
                default:
                    Console.Error.WriteLine($"cycle: unknown argument '{args[i - 1]}'. Use --nodes, --cycles, --blocks, --warmup, --binds both|off|on, --window, --policy, --out.");
                    return null;
            }
        }

        if (o.Nodes < 1 || o.Cycles < 1 || o.Blocks < 1 || o.Warmup < 1 || o.Window < 1 || o.BindPhases.Length == 0)
        {
            Console.Error.WriteLine("cycle: --nodes, --cycles, --blocks, --warmup and --window take whole numbers from 1; --binds takes both, off or on.");
            return null;
        }

        return o;

        static int Positive(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private sealed class Options
    {
        public int Nodes { get; set; } = 5000;

        public int Cycles { get; set; } = 2000;

        public int Blocks { get; set; } = 5;

        public int Warmup { get; set; } = 300;

        public int Window { get; set; } = 1000;

        public string Policy { get; set; } = FgdScorer.PolicyName;

        public string? Out { get; set; }

        public bool[] BindPhases { get; set; } = [false, true];
    }

    private sealed record Row(
        bool Binds,
        string Extender,
        double CyclesPerSecond,
        string BlockRates,
        double P50,
        double P90,
        double P99,
        double Max,
        double MeanSurvivors,
        double PrioritizedShare,
        int Errors,
        int BindsOk,
        int BindsRefused,
        int BindsFailed,
        string LoadBefore,
        string LoadAfter,
        string? FirstProblem,
        List<double> BlockP50,
        List<double> BlockP99,
        double FilterP50,
        double FilterP99,
        double PrioritizeP50,
        double PrioritizeP99,
        double FilterAnswerKiB);

    // Lepton's side of binding: the pod made known to the pod lookup before its bind (the informer's
    // part in a cluster), and bound pods leaving the cluster state once `window` newer ones are bound.
    private sealed class LeptonBindHooks
    {
        private readonly StateFilePodLookup _lookup;
        private readonly ClusterState _state;
        private readonly PodDemand[] _shapes;
        private readonly Queue<string> _bound = new();
        private readonly int _window;

        private LeptonBindHooks(ExtenderBenchHost host, int window)
        {
            _lookup = host.Services.GetRequiredService<StateFilePodLookup>();
            _state = host.Services.GetRequiredService<ClusterState>();
            var mapper = host.Services.GetRequiredService<KubeObjectMapper>();
            _shapes = [.. Enumerable.Range(0, CycleClient.Shapes).Select(shape =>
            {
                using var json = JsonDocument.Parse(CycleClient.PodJson(shape));
                return mapper.ToDemand(json.RootElement);
            })];
            _window = window;
        }

        public Action<BindRequest> Before => request => _lookup.AddRange([_shapes[request.Id % CycleClient.Shapes] with { Uid = CycleClient.PodUid(request.Id), Name = CycleClient.PodName(request.Id) }]);

        public Action<BindRequest, bool> After => (request, bound) =>
        {
            if (!bound)
            {
                return;
            }

            _bound.Enqueue(CycleClient.PodUid(request.Id));
            if (_bound.Count > _window)
            {
                _state.Remove(_bound.Dequeue());
            }
        };

        public static LeptonBindHooks Create(ExtenderBenchHost host, int window) => new(host, window);
    }

    private sealed class Target(string name, ExtenderBenchHost host, CycleClient client, long firstId, LeptonBindHooks? hooks) : IDisposable
    {
        private readonly LongHistogram _cycles = new(60_000_000, 3);
        private readonly LongHistogram _filter = new(60_000_000, 3);
        private readonly LongHistogram _prioritize = new(60_000_000, 3);
        private long _answerBytes;
        private readonly List<double> _blockRates = [];
        private LongHistogram _block = new(60_000_000, 3);
        private long _ticks;
        private long _count;
        private long _survivors;
        private long _prioritized;
        private int _bindsOk;
        private int _bindsRefused;
        private int _bindsFailed;

        public ExtenderBenchHost Host => host;

        public CycleClient Client => client;

        public LeptonBindHooks? Hooks => hooks;

        public long NextId { get; set; } = firstId;

        public int Errors { get; set; }

        public string? FirstProblem { get; set; }

        public List<double> BlockP50 { get; } = [];

        public List<double> BlockP99 { get; } = [];

        public void Record(long ticks, CycleOutcome outcome)
        {
            var micros = Math.Max(1, ticks * 1_000_000 / Stopwatch.Frequency);
            _cycles.RecordValue(micros);
            _block.RecordValue(micros);
            var filter = Math.Clamp(outcome.FilterTicks * 1_000_000 / Stopwatch.Frequency, 1, micros);
            _filter.RecordValue(filter);
            _prioritize.RecordValue(Math.Max(1, micros - filter));
            _answerBytes += outcome.FilterAnswerBytes;
            _survivors += outcome.Survivors;
            _prioritized += outcome.Prioritized ? 1 : 0;
        }

        public void AddBlock(int cycles, long ticks, BindStream? binds)
        {
            _ticks += ticks;
            _count += cycles;
            _blockRates.Add(cycles / ((double)ticks / Stopwatch.Frequency));
            BlockP50.Add(_block.GetValueAtPercentile(50) / 1000.0);
            BlockP99.Add(_block.GetValueAtPercentile(99) / 1000.0);
            _block = new LongHistogram(60_000_000, 3);
            if (binds is not null)
            {
                _bindsOk += binds.Bound;
                _bindsRefused += binds.Refused;
                _bindsFailed += binds.Failed;
                FirstProblem ??= binds.FirstProblem;
            }
        }

        public Row ToRow(bool binds, string loadBefore, string loadAfter)
        {
            var recorded = Math.Max(1, _cycles.TotalCount);
            return new Row(
                binds,
                name,
                _count / ((double)_ticks / Stopwatch.Frequency),
                string.Join(", ", _blockRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture))),
                _cycles.GetValueAtPercentile(50) / 1000.0,
                _cycles.GetValueAtPercentile(90) / 1000.0,
                _cycles.GetValueAtPercentile(99) / 1000.0,
                _cycles.GetMaxValue() / 1000.0,
                (double)_survivors / recorded,
                (double)_prioritized / recorded,
                Errors,
                _bindsOk,
                _bindsRefused,
                _bindsFailed,
                loadBefore,
                loadAfter,
                FirstProblem,
                BlockP50,
                BlockP99,
                _filter.GetValueAtPercentile(50) / 1000.0,
                _filter.GetValueAtPercentile(99) / 1000.0,
                _prioritize.GetValueAtPercentile(50) / 1000.0,
                _prioritize.GetValueAtPercentile(99) / 1000.0,
                _answerBytes / 1024.0 / recorded);
        }

        public void Dispose() => client.Dispose();
    }
}
