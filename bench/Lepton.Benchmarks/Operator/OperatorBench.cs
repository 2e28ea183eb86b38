using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Entities;
using Lepton.Testing;
using Lepton.Testing.KubeApiServer;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lepton.Benchmarks.Operator;

/// <summary>
/// <c>dotnet run -c Release --project bench/Lepton.Benchmarks -- operator [--jobs 1000] [--nodes 5000] [--pods 50000]
/// [--big-jobs 200] [--workers 4] [--only jobs|cache|process] [--lepton PATH] [--variant label=PATH[,VAR=VALUE...]]...
/// [--rounds 1] [--rest 10]</c>:
/// <list type="number">
/// <item><b>jobs</b>: N LeptonJobs (70 % one-GPU Training, 10 % two-replica gangs of 2 GPUs, 20 % half-GPU Inference)
/// on 250 eight-GPU nodes, from creation to every job Running (pods gated, admitted, filtered, prioritized and bound
/// through the operator's extender and binder, run by a fake kubelet);</item>
/// <item><b>cache</b>: an operator started against 5,000 nodes and 50,000 production-shaped pods (managedFields,
/// env, volumes, full status): time until <c>/readyz</c> (informers listed, cluster state filled), heap retained by
/// the operator after a full GC, peak heap growth while listing; then N more jobs to Running on that cluster;</item>
/// <item><b>process</b>: the built <c>lepton serve --kubeconfig</c> executable as a separate process against the same
/// seeded cluster: time to <c>/readyz</c> and its peak resident set size (nothing of the API server included).</item>
/// </list>
/// Everything runs in one process with the in-process API test server, whose own memory is excluded from the
/// retained figure (measured before the operator starts) but not from the process peak.
/// </summary>
internal static class OperatorBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = Int(args, "--jobs", 1000);
        var nodes = Int(args, "--nodes", 5000);
        var pods = Int(args, "--pods", 50_000);
        var bigJobs = Int(args, "--big-jobs", 200);
        var workers = Int(args, "--workers", 4);
        var only = Value(args, "--only");
        Console.WriteLine($"operator bench: {Environment.ProcessorCount} CPUs, server GC {System.Runtime.GCSettings.IsServerGC}");
        if (only is null or "jobs")
        {
            await using var server = await StartServerAsync().ConfigureAwait(false);
            var names = SeedNodes(server, 250);
            await using var op = await BenchOperator.StartAsync(server, workers).ConfigureAwait(false);
            await op.WaitReadyAsync(CancellationToken.None).ConfigureAwait(false);
            await using var scheduler = new BenchScheduler(op, server, names);
            var elapsed = await RunJobsAsync(server, op, jobs, "jobs").ConfigureAwait(false);
            Console.WriteLine($"jobs: {jobs} LeptonJobs ({PodCount(jobs)} pods) Running in {elapsed.TotalSeconds:F2} s on 250 nodes; {server.Requests.Count} API requests, {scheduler.Bound} bindings");
            Console.WriteLine("  requests: " + string.Join(", ", server.Requests.Entries.GroupBy(r => $"{r.Verb} {r.ResourceWithSubresource} {r.StatusCode}").OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}")));
        }

        if (only is null or "cache")
        {
            await CacheAsync(nodes, pods, bigJobs, workers).ConfigureAwait(false);
        }

        if (only is null or "process")
        {
            await ProcessAsync(
                nodes,
                pods,
                Value(args, "--lepton") ?? DefaultLepton(),
                Values(args, "--variant"),
                Int(args, "--rounds", 1),
                TimeSpan.FromSeconds(Int(args, "--rest", 10))).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The shipped executable alone: <c>lepton serve --kubeconfig</c> as its own process against the seeded API test
    /// server (another process's memory, so nothing of the server counts), from start to <c>/readyz</c> = 200
    /// (informers listed, cluster state filled), then its peak resident set (<c>VmHWM</c>) and RSS at ready, and its
    /// RSS at rest <paramref name="rest"/> later. Each <c>--variant label=PATH[,VAR=VALUE...]</c> is one child (an
    /// executable and extra environment); the variants run in turn, <paramref name="rounds"/> times, interleaved.
    /// Without variants: the default executable with server GC, then with workstation GC.
    /// </summary>
    private static async Task ProcessAsync(int nodes, int pods, string lepton, IReadOnlyList<string> variantArgs, int rounds, TimeSpan rest)
    {
        List<(string Label, string Path, Dictionary<string, string> Environment)> variants = variantArgs.Count == 0
            ? [("server GC (the executable's default)", lepton, new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }),
               ("workstation GC (DOTNET_gcServer=0)", lepton, new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" })]
            : [.. variantArgs.Select(ParseVariant)];
        foreach (var (_, path, _) in variants)
        {
            if (!File.Exists(path))
            {
                Console.WriteLine($"process: {path} not found (build src/Lepton.Cli -c Release, or pass --lepton PATH); skipped");
                return;
            }
        }

        await using var server = await StartServerAsync().ConfigureAwait(false);
        var names = SeedNodes(server, nodes, realistic: true);
        for (var i = 0; i < pods; i++)
        {
            server.Seed(RealisticObjects.PodJson(i, names[i % names.Count], gpus: i % 2 == 0 ? 1 : 0));
        }

        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"lepton-bench-{Environment.ProcessId}.kubeconfig"));
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (label, path, environment) in variants)
                {
                    await RunChildAsync(path, kubeconfig, nodes, pods, label, environment, rest).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static (string Label, string Path, Dictionary<string, string> Environment) ParseVariant(string text)
    {
        var (label, rest) = text.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (text[..at], text[(at + 1)..]) : (text, string.Empty);
        var parts = rest.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var path = parts.Length > 0 && !parts[0].Contains('=', StringComparison.Ordinal) ? parts[0] : DefaultLepton();
        var environment = parts.Where(p => p.Contains('=', StringComparison.Ordinal)).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return (label, path, environment);
    }

    private static async Task RunChildAsync(string lepton, string kubeconfig, int nodes, int pods, string label, Dictionary<string, string> environment, TimeSpan rest)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(lepton) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "serve", "--kubeconfig", kubeconfig, "--lease-namespace", "default", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start)!;
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = false;
        while (!ready && watch.Elapsed < TimeSpan.FromMinutes(5) && !child.HasExited)
        {
            try
            {
                ready = (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz")).ConfigureAwait(false)).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy listing to answer within the client's timeout.
            }

            if (!ready)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        var toReady = watch.Elapsed;
        string Field(string name)
        {
            var status = File.ReadAllLines($"/proc/{child.Id}/status");
            return status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }

        var (hwm, atReady) = ready ? (Field("VmHWM"), Field("VmRSS")) : ("?", "?");
        var atRest = "?";
        if (ready && rest > TimeSpan.Zero)
        {
            await Task.Delay(rest).ConfigureAwait(false);
            atRest = child.HasExited ? "exited" : Field("VmRSS");
            hwm = child.HasExited ? hwm : Field("VmHWM");
        }

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync().ConfigureAwait(false);
        var env = string.Join(" ", environment.Select(kv => $"{kv.Key}={kv.Value}"));
        Console.WriteLine(ready
            ? $"process, {label} [{env}]: lepton serve --kubeconfig ready (informers synced, {nodes} nodes + {pods} pods) in {toReady.TotalSeconds:F1} s; peak RSS (VmHWM) {hwm}, RSS at ready {atReady}, RSS {rest.TotalSeconds:F0} s later (at rest) {atRest}; load {LoadAverage()}"
            : $"process, {label} [{env}]: lepton serve did not become ready within {toReady.TotalSeconds:F0} s");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

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

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task CacheAsync(int nodes, int pods, int bigJobs, int workers)
    {
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        var server = await StartServerAsync().ConfigureAwait(false);
        var names = SeedNodes(server, nodes, realistic: true);
        var seedWatch = Stopwatch.StartNew();
        for (var i = 0; i < pods; i++)
        {
            server.Seed(RealisticObjects.PodJson(i, names[i % names.Count], gpus: i % 2 == 0 ? 1 : 0));
        }

        Console.WriteLine($"cache: seeded {nodes} nodes and {pods} pods into the API test server in {seedWatch.Elapsed.TotalSeconds:F1} s");
        var seeded = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        long peak = seeded;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                try
                {
                    await Task.Delay(10, sampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var watch = Stopwatch.StartNew();
        await using var op = await BenchOperator.StartAsync(server, workers).ConfigureAwait(false);
        await op.WaitReadyAsync(CancellationToken.None).ConfigureAwait(false);
        var sync = watch.Elapsed;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - seeded;
        Console.WriteLine(
            $"cache: {nodes} nodes + {pods} pods (managedFields, env, volumes, 50 node images) listed and synced in {sync.TotalSeconds:F2} s; "
            + $"cluster state {op.State.NodeCount} nodes, {op.State.PodCount} pods; peak heap growth while listing {Mib(peak - seeded)} MiB "
            + $"(the in-process API server's page serialization included; it holds ~{Mib(seeded - empty)} MiB of objects itself)");

        if (bigJobs > 0)
        {
            await using var scheduler = new BenchScheduler(op, server, names);
            var elapsed = await RunJobsAsync(server, op, bigJobs, "big").ConfigureAwait(false);
            Console.WriteLine($"cache: {bigJobs} LeptonJobs ({PodCount(bigJobs)} pods) Running in {elapsed.TotalSeconds:F2} s with {nodes} nodes and {pods} pods cached ({scheduler.Bound} bindings, each a filter and prioritize over {nodes} nodes)");
        }

        Console.WriteLine(
            $"cache: operator retained {Mib(retained)} MiB after a full GC, measured as heap growth from the seeded API server to the synced operator "
            + $"(informer caches, cluster state, extender, plus whatever the test server keeps for the LISTs; target < 500 MiB); "
            + $"process peak working set {Mib(Process.GetCurrentProcess().PeakWorkingSet64)} MiB (API server included)");
        await server.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<TimeSpan> RunJobsAsync(KubeApiTestServer server, BenchOperator op, int count, string prefix)
    {
        var running = new HashSet<NamespacedName>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = op.Jobs.Subscribe(e =>
        {
            if (e.NewObject is { Status.Phase: LeptonJobPhases.Running } job && job.Metadata.Name.StartsWith(prefix + "-", StringComparison.Ordinal))
            {
                lock (running)
                {
                    if (running.Add(NamespacedName.Of(job)) && running.Count == count)
                    {
                        done.TrySetResult();
                    }
                }
            }
        });
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            server.Create(Job($"{prefix}-{i.ToString("D5", C)}", i));
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        return watch.Elapsed;
    }

    private static int PodCount(int jobs) => Enumerable.Range(0, jobs).Sum(i => i % 10 == 7 ? 2 : 1);

    private static JsonObject Job(string name, int i)
    {
        var (type, replicas, accelerators) = (i % 10) switch
        {
            7 => ("Training", 2, new JsonObject { ["gpus"] = 2 }),
            8 or 9 => ("Inference", 1, new JsonObject { ["gpus"] = 1, ["gpuMilli"] = 500 }),
            _ => ("Training", 1, new JsonObject { ["gpus"] = 1 }),
        };
        return new JsonObject
        {
            ["apiVersion"] = V1Alpha1LeptonJob.KubeGroupVersion,
            ["kind"] = V1Alpha1LeptonJob.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["type"] = type,
                ["replicas"] = replicas,
                ["accelerators"] = accelerators,
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "main",
                            ["image"] = "busybox",
                            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "1", ["memory"] = "2Gi" } },
                        }),
                    },
                },
            },
        };
    }

    private static async Task<KubeApiTestServer> StartServerAsync()
    {
        var options = new KubeApiTestServerOptions { Random = new Random(42), EventHistoryCapacity = 100_000, WatchBufferCapacity = 1_000_000 };
        options.CustomResourceDefinitions.Add(Crd());
        return await KubeApiTestServer.StartAsync(options).ConfigureAwait(false);
    }

    private static List<string> SeedNodes(KubeApiTestServer server, int count, bool realistic = false)
    {
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var node = RealisticObjects.NodeJson(i);
            if (!realistic)
            {
                node["metadata"]!.AsObject().Remove("managedFields");
                node["status"]!.AsObject().Remove("images");
            }

            names.Add((string)server.Seed(node)["metadata"]!["name"]!);
        }

        return names;
    }

    private static JsonObject Crd()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "crds", "leptonjobs.lepton.ai.yaml");
            if (File.Exists(path))
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(File.ReadAllText(path)));
                return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
            }
        }

        throw new FileNotFoundException("crds/leptonjobs.lepton.ai.yaml not found above " + AppContext.BaseDirectory);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: not ScalarStyle.Plain } s => JsonValue.Create(s.Value),
        YamlScalarNode { Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Value: "null" or "~" } => null,
        YamlScalarNode s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, C, out var l) => JsonValue.Create(l),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static List<string> Values(string[] args, string name) =>
        [.. args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1])];

    private static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } text ? int.Parse(text, C) : fallback;
}
