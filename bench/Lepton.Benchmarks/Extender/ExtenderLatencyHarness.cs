using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using HdrHistogram;
using Lepton.Extender;
using Lepton.Extender.Http;
using Lepton.Scheduling.Scoring.Fgd;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// The extender latency harness (DECISIONS.md 17): filter then prioritize for one new pod per
/// iteration (as kube-scheduler does; every node a candidate), fixed warm-up, fixed request
/// count, a named policy, Server GC, HdrHistogram percentiles, each figure the median of the
/// repetitions; Lepton beside the null extender in the same run, in process and over loopback HTTP.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Lepton.Benchmarks -- latency [--nodes 100,500,5000]
/// [--modes NodeNames,Nodes] [--transports inprocess,http] [--policy FGD] [--repetitions 5]
/// [--scale 1.0] [--clock wall|cpu] [--order blocks|interleaved] [--out FILE.md]</c>; <c>blocks</c>
/// (the default) measures each repetition's Lepton requests, then the null extender's;
/// <c>interleaved</c> sends each stride of pods (<c>--stride</c>, 50) to one, then to the other,
/// the order alternating, so that a ratio is not moved by the machine changing between blocks
/// while each extender still runs warm on its own data.
/// </remarks>
public static class ExtenderLatencyHarness
{
    private const string UidTemplate = "00000000-0000-4000-8000-000000000000";
    private const int Shapes = 6;

    /// <summary>Runs the harness.</summary>
    /// <param name="args">The arguments after <c>latency</c>.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        if (options is null)
        {
            return 2;
        }

        Console.WriteLine($"# Extender latency: policy {options.Policy}, {options.Repetitions} repetitions, Server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} logical CPUs");
        var results = new List<LatencyResult>();
        foreach (var nodes in options.Nodes)
        {
            var cluster = SyntheticCluster.Generate(nodes);
            foreach (var transport in options.Transports)
            {
                await using var lepton = transport == "http"
                    ? await ExtenderBenchHost.StartHttpAsync(cluster, options.Policy, nullExtender: false).ConfigureAwait(false)
                    : ExtenderBenchHost.InProcess(cluster, options.Policy);
                await using var baseline = transport == "http"
                    ? await ExtenderBenchHost.StartHttpAsync(cluster, options.Policy, nullExtender: true).ConfigureAwait(false)
                    : null;
                foreach (var mode in options.Modes)
                {
                    results.AddRange(await MeasureAsync(options, cluster, transport, mode, lepton, baseline).ConfigureAwait(false));
                }
            }
        }

        var table = Format(results, options);
        Console.WriteLine();
        Console.WriteLine(table);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, table).ConfigureAwait(false);
            Console.WriteLine($"Written to {path}");
        }

        return 0;
    }

    private static async Task<List<LatencyResult>> MeasureAsync(Options options, SyntheticCluster cluster, string transport, string mode, ExtenderBenchHost lepton, ExtenderBenchHost? baseline)
    {
        var n = cluster.Nodes.Count;
        var requests = (int)Math.Max(20, Math.Round(options.Scale * (mode == "NodeNames" ? (n <= 500 ? 2000 : 1000) : n <= 100 ? 1000 : n <= 500 ? 300 : 60)));
        var warmup = Math.Max(10, requests / 5);
        var bodies = Enumerable.Range(0, Shapes).Select(shape => RequestBody.Create(cluster, mode, shape)).ToArray();
        var kib = bodies.Average(b => b.Bytes.Length) / 1024.0;
        using var http = transport == "http" ? NewClient() : null;
        var leptonSend = Sender(transport, lepton, http, nullExtender: false);
        var nullSend = Sender(transport, baseline ?? lepton, http, nullExtender: true);
        var uid = 0L;

        Func<long> clock = options.CpuClock ? ThreadCpuClock.GetTimestamp : Stopwatch.GetTimestamp;
        await RunAsync(leptonSend, bodies, warmup, null, clock, ref uid).ConfigureAwait(false);
        await RunAsync(nullSend, bodies, warmup, null, clock, ref uid).ConfigureAwait(false);
        var leptonRuns = new List<Histograms>();
        var nullRuns = new List<Histograms>();
        for (var r = 0; r < options.Repetitions; r++)
        {
            if (options.Interleaved)
            {
                // Paired: strides of pods go to Lepton and to the null extender in turn (the
                // order alternating), so that both see the machine of the same moments.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var (l, z) = await RunPairedAsync(leptonSend, nullSend, bodies, requests, options.Stride, clock, uid).ConfigureAwait(false);
                uid += requests;
                leptonRuns.Add(l);
                nullRuns.Add(z);
                continue;
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            leptonRuns.Add(await RunAsync(leptonSend, bodies, requests, new Histograms(), clock, ref uid).ConfigureAwait(false) ?? throw new InvalidOperationException());
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            nullRuns.Add(await RunAsync(nullSend, bodies, requests, new Histograms(), clock, ref uid).ConfigureAwait(false) ?? throw new InvalidOperationException());
        }

        var results = new List<LatencyResult>();
        foreach (var (extender, runs) in new[] { ("lepton", leptonRuns), ("null", nullRuns) })
        {
            var scenario = new LatencyScenario(transport, mode, n, extender);
            foreach (var verb in new[] { "filter", "prioritize", "cycle" })
            {
                var hs = runs.Select(h => h.Of(verb)).ToList();
                results.Add(new LatencyResult(
                    scenario,
                    verb,
                    Median(hs, h => h.GetValueAtPercentile(50)),
                    Median(hs, h => h.GetValueAtPercentile(90)),
                    Median(hs, h => h.GetValueAtPercentile(99)),
                    Median(hs, h => h.GetMaxValue()),
                    requests,
                    kib));
            }

            var p = results[^2];
            var alloc = transport == "http" ? double.NaN : runs.Average(h => h.AllocatedBytes) / requests / 1024.0;
            var gcs = runs.Average(h => h.Gen0Collections);
            var pause = runs.Average(h => h.GcPause.TotalMilliseconds);
            Console.WriteLine($"{transport,-9} {mode,-9} {n,5} nodes {extender,-6}: prioritize p50 {p.P50:0.000} ms, p99 {p.P99:0.000} ms ({requests} requests x {options.Repetitions}); {alloc:0} KiB allocated per cycle, {gcs:0.#} GCs (gen1 {runs.Average(h => h.Gen1Collections):0.#}, gen2 {runs.Average(h => h.Gen2Collections):0.#}; {pause:0.#} ms paused) per repetition; heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0} MiB");
        }

        return results;
    }

    private static Func<ExtenderVerb, byte[], ValueTask> Sender(string transport, ExtenderBenchHost host, HttpClient? http, bool nullExtender)
    {
        if (transport == "http")
        {
            var filter = new Uri(host.Address!, "filter");
            var prioritize = new Uri(host.Address!, "prioritize");
            return async (verb, body) =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, verb == ExtenderVerb.Filter ? filter : prioritize) { Content = content };
                using var response = await http!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                long total = 0;
                try
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (response.StatusCode != HttpStatusCode.OK || total == 0)
                {
                    throw new InvalidOperationException($"{verb}: {response.StatusCode}");
                }
            };
        }

        var handler = host.Handler!;
        return async (verb, body) =>
        {
            var sequence = new ReadOnlySequence<byte>(body);
            var reply = nullExtender ? NullExtender.Process(verb, sequence) : await handler.ProcessAsync(verb, sequence).ConfigureAwait(false);
            using var output = new PooledBufferWriter(16 * 1024);
            reply.WriteTo(output);
            if (reply.StatusCode != 200)
            {
                throw new InvalidOperationException($"{verb}: {reply.StatusCode} {reply.Reason}");
            }
        };
    }

    private static ValueTask<Histograms?> RunAsync(Func<ExtenderVerb, byte[], ValueTask> send, RequestBody[] bodies, int count, Histograms? record, Func<long> clock, ref long uid)
    {
        var start = uid;
        uid += count;
        return Loop(send, bodies, count, record, clock, start);

        static async ValueTask<Histograms?> Loop(Func<ExtenderVerb, byte[], ValueTask> send, RequestBody[] bodies, int count, Histograms? record, Func<long> clock, long uid)
        {
            var before = GcCounters.Now();
            for (var i = 0; i < count; i++)
            {
                var body = bodies[i % bodies.Length];
                body.SetUid(uid + i);
                var t0 = clock();
                await send(ExtenderVerb.Filter, body.Bytes).ConfigureAwait(false);
                var t1 = clock();
                await send(ExtenderVerb.Prioritize, body.Bytes).ConfigureAwait(false);
                var t2 = clock();
                record?.Record(t0, t1, t2);
            }

            record?.SetGc(before, GcCounters.Now(), extenders: 1);
            return record;
        }
    }

    // Lepton and the null extender on the same pods, in alternating strides of pods; the GC
    // figures are the pair's (both extenders together), recorded on both.
    private static async Task<(Histograms Lepton, Histograms Null)> RunPairedAsync(Func<ExtenderVerb, byte[], ValueTask> lepton, Func<ExtenderVerb, byte[], ValueTask> baseline, RequestBody[] bodies, int count, int stride, Func<long> clock, long uid)
    {
        var l = new Histograms();
        var z = new Histograms();
        var before = GcCounters.Now();
        for (var start = 0; start < count; start += stride)
        {
            // One stride of pods to one extender, then the same pods to the other, the order
            // alternating from stride to stride: each runs warm on its own data within a stride,
            // and both see the machine of the same few milliseconds.
            var end = Math.Min(count, start + stride);
            var leptonFirst = start / stride % 2 == 0;
            await StrideAsync(leptonFirst ? lepton : baseline, leptonFirst ? l : z).ConfigureAwait(false);
            await StrideAsync(leptonFirst ? baseline : lepton, leptonFirst ? z : l).ConfigureAwait(false);

            async ValueTask StrideAsync(Func<ExtenderVerb, byte[], ValueTask> send, Histograms record)
            {
                for (var i = start; i < end; i++)
                {
                    var body = bodies[i % bodies.Length];
                    body.SetUid(uid + i);
                    var t0 = clock();
                    await send(ExtenderVerb.Filter, body.Bytes).ConfigureAwait(false);
                    var t1 = clock();
                    await send(ExtenderVerb.Prioritize, body.Bytes).ConfigureAwait(false);
                    record.Record(t0, t1, clock());
                }
            }
        }

        var after = GcCounters.Now();
        l.SetGc(before, after, extenders: 2);
        z.SetGc(before, after, extenders: 2);
        return (l, z);
    }

    private static HttpClient NewClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = 1,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
    };

    private static double Median(List<LongHistogram> histograms, Func<LongHistogram, long> value)
    {
        var values = histograms.Select(h => value(h) / 1000.0).Order().ToArray();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static string Format(List<LatencyResult> results, Options options)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Policy {options.Policy}; milliseconds of {(options.CpuClock ? "thread CPU time" : "wall-clock time")}; each figure the median of {options.Repetitions} repetitions; cycle = filter + prioritize of one pod; Lepton and the null extender {(options.Interleaved ? $"interleaved in strides of {options.Stride} pods" : "in alternating blocks of requests")}.");
        sb.AppendLine();
        sb.AppendLine("| transport | mode | nodes | request KiB | verb | extender | p50 | p90 | p99 | max | p50 / null p50 |");
        sb.AppendLine("|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results.OrderBy(r => r.Scenario.Transport == "http").ThenBy(r => r.Scenario.Mode == "Nodes").ThenBy(r => r.Scenario.Nodes).ThenBy(r => r.Verb).ThenBy(r => r.Scenario.Extender))
        {
            var baseline = results.FirstOrDefault(b => b.Scenario == r.Scenario with { Extender = "null" } && b.Verb == r.Verb);
            var ratio = r.Scenario.Extender == "lepton" && baseline is { P50: > 0 } ? (r.P50 / baseline.P50).ToString("0.00", c) : string.Empty;
            sb.AppendLine(c, $"| {r.Scenario.Transport} | {r.Scenario.Mode} | {r.Scenario.Nodes} | {r.RequestKiB:0} | {r.Verb} | {r.Scenario.Extender} | {r.P50:0.000} | {r.P90:0.000} | {r.P99:0.000} | {r.Max:0.000} | {ratio} |");
        }

        return sb.ToString();
    }

    private static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--nodes":
                    var sizes = new List<int>();
                    foreach (var part in value.Split(','))
                    {
                        if (!PositiveInt("--nodes", part, out var size))
                        {
                            return null;
                        }

                        sizes.Add(size);
                    }

                    o.Nodes = [.. sizes];
                    i++;
                    break;
                case "--modes":
                    o.Modes = value.Split(',');
                    if (o.Modes.FirstOrDefault(m => m is not ("NodeNames" or "Nodes")) is { } mode)
                    {
                        Console.Error.WriteLine($"latency: --modes takes NodeNames and/or Nodes, not '{mode}'.");
                        return null;
                    }

                    i++;
                    break;
                case "--transports":
                    o.Transports = [.. value.Split(',').Select(s => s.ToLowerInvariant())];
                    if (o.Transports.FirstOrDefault(t => t is not ("inprocess" or "http")) is { } transport)
                    {
                        Console.Error.WriteLine($"latency: --transports takes inprocess and/or http, not '{transport}'.");
                        return null;
                    }

                    i++;
                    break;
                case "--policy":
                    o.Policy = value;
                    i++;
                    break;
                case "--repetitions":
                    if (!PositiveInt("--repetitions", value, out var repetitions))
                    {
                        return null;
                    }

                    o.Repetitions = repetitions;
                    i++;
                    break;
                case "--scale":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || !(scale > 0))
                    {
                        Console.Error.WriteLine($"latency: --scale takes a positive number, not '{value}'.");
                        return null;
                    }

                    o.Scale = scale;
                    i++;
                    break;
                case "--clock":
                    if (!OneOf("--clock", value, "wall", "cpu", out var cpu))
                    {
                        return null;
                    }

                    o.CpuClock = cpu;
                    if (o.CpuClock && !ThreadCpuClock.IsSupported)
                    {
                        Console.Error.WriteLine("latency: --clock cpu needs Linux.");
                        return null;
                    }

                    i++;
                    break;
                case "--order":
                    if (!OneOf("--order", value, "blocks", "interleaved", out var interleaved))
                    {
                        return null;
                    }

                    o.Interleaved = interleaved;
                    i++;
                    break;
                case "--stride":
                    if (!PositiveInt("--stride", value, out var stride))
                    {
                        return null;
                    }

                    o.Stride = stride;
                    i++;
                    break;
                case "--out":
                    o.Out = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"latency: unknown argument '{args[i]}'. Use --nodes, --modes, --transports, --policy, --repetitions, --scale, --clock wall|cpu, --order blocks|interleaved, --stride N, --out.");
                    return null;
            }
        }

        return o;
    }

    // The option's value is one of two words; false (after saying why) when it is neither.
    private static bool OneOf(string option, string? value, string first, string second, out bool isSecond)
    {
        isSecond = value == second;
        if (value == first || isSecond)
        {
            return true;
        }

        Console.Error.WriteLine($"latency: {option} takes {first} or {second}, not '{value}'.");
        return false;
    }

    private static bool PositiveInt(string option, string? value, out int result)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= 1)
        {
            return true;
        }

        Console.Error.WriteLine($"latency: {option} takes a whole number from 1, not '{value}'.");
        return false;
    }

    private sealed class Options
    {
        public int[] Nodes { get; set; } = [100, 500, 5000];

        public string[] Modes { get; set; } = ["NodeNames", "Nodes"];

        public string[] Transports { get; set; } = ["inprocess", "http"];

        public string Policy { get; set; } = FgdScorer.PolicyName;

        public int Repetitions { get; set; } = 5;

        public double Scale { get; set; } = 1.0;

        public string? Out { get; set; }

        public bool CpuClock { get; set; }

        public bool Interleaved { get; set; }

        public int Stride { get; set; } = 50;
    }

    private readonly record struct GcCounters(long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcCounters Now() => new(
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration());
    }

    private sealed class Histograms
    {
        private readonly LongHistogram _filter = New();
        private readonly LongHistogram _prioritize = New();
        private readonly LongHistogram _cycle = New();

        public long AllocatedBytes { get; set; }

        public int Gen0Collections { get; set; }

        public TimeSpan GcPause { get; set; }

        public int Gen1Collections { get; set; }

        public int Gen2Collections { get; set; }

        // The GC's work between two readings; allocation split evenly when both extenders ran.
        public void SetGc(GcCounters before, GcCounters after, int extenders)
        {
            AllocatedBytes = (after.Allocated - before.Allocated) / extenders;
            Gen0Collections = after.Gen0 - before.Gen0;
            Gen1Collections = after.Gen1 - before.Gen1;
            Gen2Collections = after.Gen2 - before.Gen2;
            GcPause = after.Paused - before.Paused;
        }

        public LongHistogram Of(string verb) => verb switch { "filter" => _filter, "prioritize" => _prioritize, _ => _cycle };

        public void Record(long t0, long t1, long t2)
        {
            _filter.RecordValue(Micros(t1 - t0));
            _prioritize.RecordValue(Micros(t2 - t1));
            _cycle.RecordValue(Micros(t2 - t0));
        }

        private static long Micros(long ticks) => Math.Max(1, ticks * 1_000_000 / Stopwatch.Frequency);

        private static LongHistogram New() => new(60_000_000, 3);
    }

    /// <summary>A request body whose pod UID is patched in place per iteration.</summary>
    private sealed class RequestBody
    {
        private readonly int _uidOffset;

        private RequestBody(byte[] bytes, int uidOffset)
        {
            Bytes = bytes;
            _uidOffset = uidOffset;
        }

        public byte[] Bytes { get; }

        public static RequestBody Create(SyntheticCluster cluster, string mode, int shape)
        {
            var sb = new StringBuilder();
            sb.Append("{\"Pod\":").Append(SyntheticCluster.PodJson(shape, UidTemplate));
            if (mode == "NodeNames")
            {
                sb.Append(",\"Nodes\":null,\"NodeNames\":[");
                for (var i = 0; i < cluster.Nodes.Count; i++)
                {
                    sb.Append(i == 0 ? "\"" : ",\"").Append(cluster.Nodes[i].Name).Append('"');
                }

                sb.Append("]}");
            }
            else
            {
                sb.Append(",\"Nodes\":{\"metadata\":{},\"items\":[").AppendJoin(',', cluster.NodeJson).Append("]},\"NodeNames\":null}");
            }

            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            var offset = bytes.AsSpan().IndexOf("\"uid\":\"00000000-0000-4000-8000-"u8) + "\"uid\":\"00000000-0000-4000-8000-".Length;
            return new RequestBody(bytes, offset);
        }

        public void SetUid(long value)
        {
            var hex = value.ToString("x12", CultureInfo.InvariantCulture);
            Encoding.ASCII.GetBytes(hex, Bytes.AsSpan(_uidOffset, 12));
        }
    }
}
