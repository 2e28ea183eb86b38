using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Lepton.Benchmarks.Extender;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// The soak (issue 13 item 3): the built <c>lepton serve --cluster-state</c> as its own process over a
/// generated 5,000-node state file, driven for a fixed time by <c>--connections</c> (8) keep-alive
/// connections running the scheduling cycle back to back (<see cref="CycleClient"/>) and one more
/// connection running it on its own (the sequential pattern, kube-scheduler's, measured apart).
/// Every <c>--sample-seconds</c> the child's RSS (<c>/proc/PID/status</c> VmRSS) and its GC heap
/// (its <c>/metrics</c> <c>dotnet_total_memory_bytes</c>) are read; every minute the errors and the p99.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Lepton.Benchmarks -- soak [--minutes 10] [--nodes 5000]
/// [--connections 8] [--sample-seconds 5] [--warmup-minutes 2] [--gc chart|server] [--lepton PATH] [--out FILE.md]</c>.
/// The child runs with the chart's GC settings unless <c>--gc server</c>. Exits 1 when, after the warm-up minutes,
/// a minute's mean RSS is more than 10% above the last warm-up minute's second half, or a minute's lowest GC heap
/// sample (the floor the sawtooth returns to) more than 10% above the last warm-up minute's lowest, when any call
/// failed, or when the p99 of the minutes after warm-up differs more than 2x (highest / lowest) on either pattern.
/// Two warm-up minutes by default: the extender's pending-pod parse cache (10,000 pods) fills during the first
/// 10,000 cycles. Bounded: the load stops at
/// <c>--minutes</c>, and the child is killed whatever happens.
/// </remarks>
public static class SoakBench
{
    private const double GrowthLimit = 0.10;
    private const double P99Spread = 2.0;

    /// <summary>Runs the soak.</summary>
    /// <param name="args">The arguments after <c>soak</c>.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var o = Parse(args);
        if (o is null)
        {
            return 2;
        }

        if (!File.Exists(o.Lepton))
        {
            Console.Error.WriteLine($"soak: {o.Lepton} not found (build src/Lepton.Cli -c Release, or pass --lepton PATH).");
            return 2;
        }

        var cluster = SyntheticCluster.Generate(o.Nodes);
        var names = cluster.Nodes.Select(n => n.Name).ToArray();
        var stateFile = Path.Combine(Path.GetTempPath(), $"lepton-soak-{Environment.ProcessId}.json");
        ClusterStateFileWriter.Write(cluster, stateFile);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(o.Lepton) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "serve", "--cluster-state", stateFile, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (o.Gc == "chart")
        {
            // The GC the chart runs Lepton with (charts/lepton/templates/deployment.yaml): workstation GC, gen 2
            // compacted when it fragments. What a cluster runs is what the soak should measure.
            start.Environment["DOTNET_gcServer"] = "0";
            start.Environment["DOTNET_GCConserveMemory"] = "7";
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("lepton serve did not start");
        var stderr = new StringBuilder();
        _ = child.StandardOutput.ReadToEndAsync();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                if (stderr.Length < 4000)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        child.BeginErrorReadLine();

        // Ended from outside (make soak's timeout, Ctrl+C): the child goes too.
        void KillChild(object? sender, EventArgs e)
        {
            try
            {
                child.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        AppDomain.CurrentDomain.ProcessExit += KillChild;
        try
        {
            using var probe = new ExtenderConnection(address);
            if (!await WaitReadyAsync(probe, child).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"soak: lepton serve did not become ready. {stderr}");
                return 1;
            }

            Console.WriteLine($"# Soak: lepton serve --cluster-state ({o.Nodes} nodes, {cluster.BoundPods.Count} bound pods, pid {child.Id}), {o.Connections} concurrent connections + 1 sequential, {o.Minutes} minutes of {o.MinuteSeconds} s; {Environment.ProcessorCount} logical CPUs; load {CycleBench.LoadAverage()}");
            var minutes = await DriveAsync(o, names, address, probe, child).ConfigureAwait(false);
            var (table, failures) = Format(minutes, o, child, cluster.BoundPods.Count);
            Console.WriteLine();
            Console.WriteLine(table);
            if (o.Out is { } path)
            {
                await File.WriteAllTextAsync(path, table).ConfigureAwait(false);
                Console.WriteLine($"Written to {path}");
            }

            foreach (var f in failures)
            {
                Console.Error.WriteLine("soak: " + f);
            }

            return failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= KillChild;
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            await child.WaitForExitAsync().ConfigureAwait(false);
            File.Delete(stateFile);
        }
    }

    private static async Task<List<Minute>> DriveAsync(Options o, string[] names, Uri address, ExtenderConnection probe, Process child)
    {
        var minutes = new List<Minute> { new(1) };
        var current = minutes[0];
        using var stop = new CancellationTokenSource();
        var workers = new List<Task>();
        for (var w = 0; w <= o.Connections; w++)
        {
            var sequential = w == o.Connections;
            var firstId = (long)(w + 1) << 40;
            workers.Add(Task.Run(() => WorkerAsync(new CycleClient(address, names), sequential, firstId, () => Volatile.Read(ref current), stop.Token)));
        }

        var metrics = new Uri(address, "metrics");
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.SampleSeconds));
        var minuteLength = TimeSpan.FromSeconds(o.MinuteSeconds);
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            var sample = await SampleAsync(probe, metrics, child).ConfigureAwait(false);
            lock (current)
            {
                current.Samples.Add(sample);
            }

            if (child.HasExited)
            {
                current.Errors++;
                current.FirstError ??= $"lepton serve exited with code {child.ExitCode}";
                break;
            }

            if (clock.Elapsed >= minuteLength * current.Number)
            {
                current.Load = CycleBench.LoadAverage();
                Console.WriteLine(current.Summary());
                if (current.Number >= o.Minutes)
                {
                    break;
                }

                var next = new Minute(current.Number + 1);
                minutes.Add(next);
                Volatile.Write(ref current, next);
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return minutes;
    }

    private static async Task WorkerAsync(CycleClient client, bool sequential, long firstId, Func<Minute> minute, CancellationToken stop)
    {
        using var _ = client;
        var id = firstId;
        while (!stop.IsCancellationRequested)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                await client.RunAsync(id++, stop).ConfigureAwait(false);
                var micros = Math.Max(1, (Stopwatch.GetTimestamp() - t0) * 1_000_000 / Stopwatch.Frequency);
                var m = minute();
                lock (m)
                {
                    (sequential ? m.Sequential : m.Concurrent).RecordValue(micros);
                    m.Cycles++;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is CycleException or HttpRequestException or TaskCanceledException or JsonException or IOException)
            {
                var m = minute();
                lock (m)
                {
                    m.Errors++;
                    m.FirstError ??= e.Message;
                }
            }
        }
    }

    private static async Task<Sample> SampleAsync(ExtenderConnection probe, Uri metrics, Process child)
    {
        long rss = -1;
        try
        {
            var line = (await File.ReadAllLinesAsync($"/proc/{child.Id}/status").ConfigureAwait(false)).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rss = line is null ? -1 : long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }

        double heap = -1;
        double workingSet = -1;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var text = await probe.GetStringAsync(metrics, timeout.Token).ConfigureAwait(false);
            heap = Metric(text, "dotnet_total_memory_bytes");
            workingSet = Metric(text, "process_working_set_bytes");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }

        return new Sample(rss, heap, workingSet);
    }

    private static double Metric(string text, string name)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(name) && line.Length > name.Length && line[name.Length] == ' ')
            {
                return double.Parse(line[(name.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static async Task<bool> WaitReadyAsync(ExtenderConnection probe, Process child)
    {
        var ready = new Uri(probe.Address, "readyz");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3) && !child.HasExited)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                if ((await probe.GetStringAsync(ready, timeout.Token).ConfigureAwait(false)).StartsWith("ok", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        return false;
    }

    private static (string Table, List<string> Failures) Format(List<Minute> minutes, Options o, Process child, int boundPods)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var peak = "?";
        try
        {
            peak = File.ReadAllLines($"/proc/{child.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
        }

        sb.AppendLine(c, $"`lepton serve --cluster-state` ({o.Nodes} nodes, {boundPods} bound pods) as its own process; {o.Connections} connections running the scheduling cycle back to back + 1 sequential connection (measured apart), {minutes.Count} minute(s) of {o.MinuteSeconds} s, samples every {o.SampleSeconds} s; {Environment.ProcessorCount} logical CPUs shared by the load generator, the child ({(o.Gc == "chart" ? "the chart's GC: DOTNET_gcServer=0, DOTNET_GCConserveMemory=7" : "Server GC")}) and whatever else ran; ended {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC; child peak RSS (VmHWM) {peak}.");
        sb.AppendLine();
        sb.AppendLine("| minute | cycles | cycles/s | sequential p50 ms | sequential p99 ms | concurrent p50 ms | concurrent p99 ms | errors | RSS MiB mean (max) | GC heap MiB mean (min-max) | working set MiB | load |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in minutes)
        {
            sb.AppendLine(c, $"| {m.Number} | {m.Cycles} | {m.Cycles / (double)o.MinuteSeconds:0} | {Ms(m.Sequential, 50)} | {Ms(m.Sequential, 99)} | {Ms(m.Concurrent, 50)} | {Ms(m.Concurrent, 99)} | {m.Errors} | {Mib(m.Samples.Select(s => (double)s.Rss).Where(v => v >= 0).DefaultIfEmpty(-1).Average())} ({Mib(m.Samples.Select(s => (double)s.Rss).DefaultIfEmpty(-1).Max())}) | {Mib(Heap(m).DefaultIfEmpty(-1).Average())} ({Mib(Heap(m).DefaultIfEmpty(-1).Min())}-{Mib(Heap(m).DefaultIfEmpty(-1).Max())}) | {Mib(m.Samples.Select(s => s.WorkingSet).Where(v => v >= 0).DefaultIfEmpty(-1).Average())} | {m.Load} |");
        }

        var failures = new List<string>();
        var errors = minutes.Sum(m => m.Errors);
        if (errors > 0)
        {
            failures.Add($"{errors} errors; first: {minutes.First(m => m.FirstError is not null).FirstError}");
        }

        var w = o.WarmupMinutes;
        sb.AppendLine();
        if (minutes.Count > w)
        {
            var warm = minutes[w - 1].Samples.Skip(minutes[w - 1].Samples.Count / 2).ToList();
            var rss0 = warm.Select(s => (double)s.Rss).Where(v => v > 0).DefaultIfEmpty(0).Average();
            var heap0 = warm.Select(s => s.Heap).Where(v => v > 0).DefaultIfEmpty(0).Average();
            var later = minutes.Skip(w).ToList();
            var rssMax = later.Max(m => m.Samples.Select(s => (double)s.Rss).Where(v => v > 0).DefaultIfEmpty(0).Average());
            var heapMax = later.Max(m => Heap(m).DefaultIfEmpty(0).Average());
            Check("RSS", rss0, rssMax, "second half", "(mean)", decides: true);

            // The GC heap is a sawtooth (allocations since the last collection on top of what survives it), so a mean
            // of samples every few seconds moves with where the collections fall. Growth is judged on the floor: the
            // lowest sample of the last warm-up minute against the highest per-minute lowest sample after it. The mean
            // is shown beside it.
            var floor0 = Heap(minutes[w - 1]).Where(v => v > 0).DefaultIfEmpty(0).Min();
            var floorMax = later.Max(m => Heap(m).Where(v => v > 0).DefaultIfEmpty(0).Min());
            Check("GC heap floor", floor0, floorMax, "lowest sample", "(lowest sample)", decides: true);
            Check("GC heap mean", heap0, heapMax, "second half", "(mean)", decides: false);
            foreach (var (pattern, of) in new (string, Func<Minute, LongHistogram>)[] { ("sequential", m => m.Sequential), ("concurrent", m => m.Concurrent) })
            {
                var p99s = later.Where(m => of(m).TotalCount > 0).Select(m => of(m).GetValueAtPercentile(99) / 1000.0).ToList();
                if (p99s.Count > 0)
                {
                    var spread = p99s.Max() / p99s.Min();
                    sb.AppendLine(c, $"* {pattern}: p99 per minute after warm-up {p99s.Min():0.00}-{p99s.Max():0.00} ms, spread {spread:0.00}x (limit {P99Spread}x).");
                    if (spread > P99Spread)
                    {
                        failures.Add($"{pattern} p99 per minute varied {spread:0.00}x (limit {P99Spread}x)");
                    }
                }
            }

            void Check(string what, double baseline, double highest, string baselineIs, string highestIs, bool decides)
            {
                var growth = baseline > 0 ? (highest / baseline) - 1 : double.NaN;
                sb.AppendLine(c, $"* {what}: warm-up minute {w}'s {baselineIs} {Mib(baseline)} MiB, highest later minute {highestIs} {Mib(highest)} MiB: {growth:+0.0%;-0.0%} ({(decides ? $"limit +{GrowthLimit:0%}" : "shown, not judged")}).");
                if (decides && !(growth <= GrowthLimit))
                {
                    failures.Add($"{what} grew {growth:P1} after warm-up (limit {GrowthLimit:P0})");
                }
            }
        }
        else
        {
            failures.Add($"{minutes.Count} minute(s): nothing after {w} warm-up minute(s) to compare");
        }

        sb.AppendLine();
        sb.AppendLine(failures.Count == 0 ? "Result: pass (no growth beyond 10% after warm-up, no errors, p99 per minute within 2x)." : "Result: FAIL: " + string.Join("; ", failures) + ".");
        return (sb.ToString(), failures);

        static IEnumerable<double> Heap(Minute m) => m.Samples.Select(s => s.Heap).Where(v => v >= 0);
        static string Mib(double bytes) => bytes < 0 ? "?" : (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
        static string Ms(LongHistogram h, double percentile) => h.TotalCount == 0 ? "-" : (h.GetValueAtPercentile(percentile) / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DefaultLepton()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lepton.K8s.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Lepton.Cli", "bin", "Release", "net10.0", "linux-x64", "lepton");
            }
        }

        return "lepton";
    }

    private static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i + 1 < args.Length || i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 0;
            switch (args[i])
            {
                case "--minutes":
                    o.Minutes = number;
                    break;
                case "--nodes":
                    o.Nodes = number;
                    break;
                case "--connections":
                    o.Connections = number;
                    break;
                case "--sample-seconds":
                    o.SampleSeconds = number;
                    break;
                case "--warmup-minutes":
                    o.WarmupMinutes = number;
                    break;
                case "--minute-seconds":
                    o.MinuteSeconds = number;
                    break;
                case "--lepton":
                    o.Lepton = value;
                    break;
                case "--gc" when value is "chart" or "server":
                    o.Gc = value;
                    break;
                case "--gc":
                    Console.Error.WriteLine($"soak: --gc takes chart (the chart's workstation GC with GCConserveMemory 7) or server, not '{value}'.");
                    return null;
                case "--out":
                    o.Out = value;
                    break;
                default:
                    Console.Error.WriteLine($"soak: unknown argument '{args[i]}'. Use --minutes, --warmup-minutes, --nodes, --connections, --sample-seconds, --minute-seconds, --gc chart|server, --lepton, --out.");
                    return null;
            }
        }

        if (o.Minutes < 1 || o.WarmupMinutes < 1 || o.Nodes < 1 || o.Connections < 1 || o.SampleSeconds < 1 || o.MinuteSeconds < o.SampleSeconds)
        {
            Console.Error.WriteLine("soak: --minutes, --warmup-minutes, --nodes, --connections and --sample-seconds take whole numbers from 1; --minute-seconds (60) at least --sample-seconds.");
            return null;
        }

        return o;
    }

    private readonly record struct Sample(long Rss, double Heap, double WorkingSet);

    private sealed class Options
    {
        public int Minutes { get; set; } = 10;

        public int WarmupMinutes { get; set; } = 2;

        public string Gc { get; set; } = "chart";

        public int Nodes { get; set; } = 5000;

        public int Connections { get; set; } = 8;

        public int SampleSeconds { get; set; } = 5;

        public int MinuteSeconds { get; set; } = 60;

        public string Lepton { get; set; } = DefaultLepton();

        public string? Out { get; set; }
    }

    private sealed class Minute(int number)
    {
        public int Number => number;

        public LongHistogram Sequential { get; } = new(60_000_000, 3);

        public LongHistogram Concurrent { get; } = new(60_000_000, 3);

        public long Cycles { get; set; }

        public int Errors { get; set; }

        public string? FirstError { get; set; }

        public List<Sample> Samples { get; } = [];

        public string Load { get; set; } = "?";

        public string Summary()
        {
            lock (this)
            {
                var rss = Samples.Count > 0 ? Samples[^1].Rss / 1048576.0 : -1;
                var heap = Samples.Count > 0 ? Samples[^1].Heap / 1048576.0 : -1;
                return string.Create(CultureInfo.InvariantCulture, $"minute {Number}: {Cycles} cycles, sequential p99 {(Sequential.TotalCount > 0 ? Sequential.GetValueAtPercentile(99) / 1000.0 : 0):0.00} ms, concurrent p99 {(Concurrent.TotalCount > 0 ? Concurrent.GetValueAtPercentile(99) / 1000.0 : 0):0.00} ms, {Errors} errors, RSS {rss:0} MiB, GC heap {heap:0} MiB, load {Load}{(FirstError is null ? string.Empty : "; first error: " + FirstError)}");
            }
        }
    }
}
