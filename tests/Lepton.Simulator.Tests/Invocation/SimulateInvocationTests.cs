using System.Text.Json;
using Lepton.Simulator.Invocation;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Invocation;

public class SimulateInvocationTests
{
    private const string Nodes = "sn,cpu_milli,memory_mib,gpu,model\nn1,96000,393216,8,G2\nn2,104000,524288,2,T4\n";
    private const string Pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n" +
                                "p1,4000,8192,1,500,,LS,Running,0,100,0\np2,8000,16384,1,1000,,BE,Running,5,50,5\np3,2000,4096,0,0,,BE,Running,7,9,7\n";

    private static (int Code, string Out, string Err) Run(SimulateArguments arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SimulateInvocation.Run(arguments, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("Tetris", null, null, "unknown policy 'Tetris' in --policies; known policies: Random, DotProd")]
    [InlineData(null, "0", null, "--seeds '0' is not a whole number from 1 to 1000")]
    [InlineData(null, "ten", null, "--seeds 'ten' is not a whole number")]
    [InlineData(null, null, "quantum", "--mode 'quantum' is not one of artifact, kube or timeline")]
    [InlineData("FGD,fgd", null, null, "policy 'FGD' appears twice")]
    public void Run_BadOption_OneErrorExitTwoNoOutput(string? policies, string? seeds, string? mode, string expected)
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, error) = Run(new SimulateArguments { Policies = policies, Seeds = seeds, Mode = mode, Out = outDir });

        Assert.Equal(2, code);
        Assert.StartsWith("lepton simulate: " + expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Empty(output);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Run_UnrecognizedToken_ExitTwo()
    {
        var (code, _, error) = Run(new SimulateArguments { Unrecognized = ["--sedes"] });

        Assert.Equal(2, code);
        Assert.Contains("unrecognized argument '--sedes'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false, "--nodes needs --pods")]
    [InlineData(false, true, "--pods needs --nodes")]
    public void Run_HalfATrace_ExitTwo(bool nodes, bool pods, string expected)
    {
        using var temp = new TempDirectory();

        var (code, _, error) = Run(new SimulateArguments { Nodes = nodes ? temp.File("n.csv", Nodes) : null, Pods = pods ? temp.File("p.csv", Pods) : null });

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ClusterStateWithTrace_ExitTwo()
    {
        var (code, _, error) = Run(new SimulateArguments { ClusterState = "c.json", Nodes = "n.csv", Pods = "p.csv" });

        Assert.Equal(2, code);
        Assert.Contains("--cluster-state replaces --nodes and --pods", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MalformedPodRow_ExitTwoWithFileLineColumnAndNoOutput()
    {
        using var temp = new TempDirectory();
        var pods = temp.File("p.csv", Pods.Replace("p2,8000,16384", "p2,8000,lots", StringComparison.Ordinal));
        var outDir = Path.Combine(temp.Path, "out");

        var (code, _, error) = Run(new SimulateArguments { Nodes = temp.File("n.csv", Nodes), Pods = pods, Out = outDir });

        Assert.Equal(2, code);
        Assert.Equal($"lepton simulate: {pods}:3:3: 'memory_mib' is 'lots'; expected an integer", error.TrimEnd());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Run_MissingClusterStateFile_ExitTwo()
    {
        var (code, _, error) = Run(new SimulateArguments { ClusterState = "/nonexistent/cluster.json" });

        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/cluster.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TimelineOnTraceWithoutTimes_ExitTwoNamingTheReason()
    {
        using var temp = new TempDirectory();
        var pods = temp.File("openb_pod_list_multigpu20.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,1024,1,1000\n");

        var (code, _, error) = Run(new SimulateArguments { Nodes = temp.File("n.csv", Nodes), Pods = pods, Mode = "timeline" });

        Assert.Equal(2, code);
        Assert.Contains("workload 'openb_pod_list_multigpu20' has none", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SmallTrace_WritesTableResultsAndPlots()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, error) = Run(new SimulateArguments { Nodes = temp.File("n.csv", Nodes), Pods = temp.File("p.csv", Pods), Policies = "BestFit,FGD", Seeds = "2", Out = outDir });

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("run 4/4:", output, StringComparison.Ordinal);
        Assert.Contains("@100%", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "allocation.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "allocation-zoom.png")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var root = json.RootElement;
        Assert.Equal("lepton.ai/simulate-results", root.GetProperty("schema").GetString());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("artifact", root.GetProperty("mode").GetString());
        Assert.Equal([42, 43], root.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));
        var fgd = root.GetProperty("policies")[1];
        Assert.Equal("FGD", fgd.GetProperty("policy").GetString());
        var at100 = fgd.GetProperty("unallocatedGpuPercent")[0];
        Assert.Equal(100, at100.GetProperty("arrivedPercent").GetInt32());
        Assert.Equal(2, at100.GetProperty("perSeed").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, at100.GetProperty("mean").ValueKind);
        Assert.Equal(2, fgd.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public void Run_TimelineOnSmallTrace_WritesTimelinePlot()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, _) = Run(new SimulateArguments { Nodes = temp.File("n.csv", Nodes), Pods = temp.File("p.csv", Pods), Policies = "FGD", Seeds = "1", Mode = "timeline", Queue = "priority", Out = outDir });

        Assert.Equal(0, code);
        Assert.Contains("mean wait", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "allocation-over-time.png")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal("priority", json.RootElement.GetProperty("timeline").GetProperty("queueOrder").GetString());
    }

    [Fact]
    public void Run_LoadedTimelineWithSeveralQueues_WritesPerQueueResultsAndJctCdf()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, _) = Run(new SimulateArguments
        {
            Nodes = temp.File("n.csv", Nodes),
            Pods = temp.File("p.csv", Pods),
            Policies = "FGD",
            Seeds = "2",
            Mode = "timeline",
            Queue = "fifo,las,sjf-oracle,sjf-predicted",
            Gpus = "2",
            Load = "0.5",
            Predictor = "noisy-oracle:0.5",
            Out = outDir,
        });

        Assert.Equal(0, code);
        Assert.Contains("FGD · sjf-predicted", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "jct-cdf.png")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var timeline = json.RootElement.GetProperty("timeline");
        Assert.Equal("noisy-oracle:0.5", timeline.GetProperty("predictor").GetString());
        Assert.Equal(2, timeline.GetProperty("scenarios").GetArrayLength());
        var policies = json.RootElement.GetProperty("policies");
        Assert.Equal(["fifo", "las", "sjf-oracle", "sjf-predicted"], policies.EnumerateArray().Select(p => p.GetProperty("queue").GetString()));
        var jct = policies[0].GetProperty("timelineSummary").GetProperty("meanJctSeconds");
        Assert.Equal(2, jct.GetProperty("perSeed").GetArrayLength());
    }

    [Theory]
    [InlineData("timeline", "fifo,sjf", null, null, null, "--queue 'sjf' is not one of fifo, priority, las, sjf-oracle, sjf-predicted")]
    [InlineData("timeline", "fifo,fifo", null, null, null, "queue order 'fifo' appears twice")]
    [InlineData("timeline", null, null, "1.2", null, "--load needs --gpus")]
    [InlineData("artifact", null, "64", null, null, "--gpus applies to --mode timeline only")]
    [InlineData("timeline", null, null, null, "oracle", "--predictor 'oracle' is not class-median or noisy-oracle:SIGMA")]
    [InlineData("timeline", null, null, null, "noisy-oracle:-1", "--predictor 'noisy-oracle:-1': sigma must be")]
    public void Run_BadTimelineOption_OneErrorExitTwo(string mode, string? queue, string? gpus, string? load, string? predictor, string expected)
    {
        using var temp = new TempDirectory();

        var (code, _, error) = Run(new SimulateArguments { Mode = mode, Queue = queue, Gpus = gpus, Load = load, Predictor = predictor, Out = Path.Combine(temp.Path, "out") });

        Assert.Equal(2, code);
        Assert.StartsWith("lepton simulate: " + expected, error, StringComparison.Ordinal);
    }
}
