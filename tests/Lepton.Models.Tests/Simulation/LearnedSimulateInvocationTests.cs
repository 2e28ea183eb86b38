using System.Globalization;
using System.Text;
using System.Text.Json;
using Lepton.Models.Features;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Simulation;
using Lepton.Models.Tests.Testing;
using Lepton.Simulator.Invocation;
using Lepton.Testing;

namespace Lepton.Models.Tests.Simulation;

public class LearnedSimulateInvocationTests
{
    private static (int Code, string Out, string Err) Run(SimulateArguments arguments, string? model)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = LearnedSimulateInvocation.Run(arguments, model, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    private static SimulateArguments Arguments(TempDirectory temp, string mode, string policies, string outDir, int constrainedEvery = 0) => new()
    {
        Nodes = WriteNodes(temp.Path),
        Pods = WritePods(temp.Path, constrainedEvery),
        Mode = mode,
        Policies = policies,
        Seeds = "2",
        Out = outDir,
    };

    [Fact]
    public void LoadPredictor_ShippedBundle_LoadsAndSaysItsVersion()
    {
        var sut = LearnedSimulateInvocation.LoadPredictor(RepoPaths.Combine("models", "predictor.onnx"));

        Assert.StartsWith("predictor@", sut.Version, StringComparison.Ordinal);
        (sut as IDisposable)?.Dispose();
    }

    [Fact]
    public void LoadPredictor_MissingOrBrokenBundle_ThrowsNamingThePath()
    {
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "nope.onnx");
        var broken = Path.Combine(temp.Path, "broken.onnx");
        File.WriteAllBytes(broken, [1, 2, 3]);

        var a = Assert.Throws<InvalidDataException>(() => LearnedSimulateInvocation.LoadPredictor(missing));
        Assert.Throws<InvalidDataException>(() => LearnedSimulateInvocation.LoadPredictor(broken));

        Assert.Contains(missing, a.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("artifact")]
    [InlineData("kube")]
    public void Run_LearnedWithFgdEquivalentModel_RunsAndEqualsFgdSeedForSeed(string mode)
    {
        using var temp = new TempDirectory();
        var model = TestCluster.Save(TestCluster.FgdNetwork(), temp.Path);
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, error) = Run(Arguments(temp, mode, "FGD,learned", outDir), model);

        Assert.True(code == 0, error);
        Assert.Empty(error);
        Assert.Contains("Learned", output, StringComparison.Ordinal);
        var results = Results(outDir);
        Assert.Equal(mode, results.GetProperty("mode").GetString());
        var fgd = PerSeed(results, "FGD", "unallocatedGpuPercent");
        var learned = PerSeed(results, "Learned", "unallocatedGpuPercent");
        Assert.Equal(2, learned.Length);
        Assert.Equal(fgd, learned);
        if (mode == "kube")
        {
            Assert.Equal(PerSeed(results, "FGD", "artifactUnallocatedGpuPercent"), PerSeed(results, "Learned", "artifactUnallocatedGpuPercent"));
        }
    }

    [Theory]
    [InlineData("artifact")]
    [InlineData("kube")]
    public void Run_LearnedWithAntiFgdModel_TheModelDecides(string mode)
    {
        using var temp = new TempDirectory();

        // Scores 100 − FGD: the worst node by FGD wins, so the model, not a fallback, placed the pods.
        var net = TestCluster.FgdNetwork(offset: 100f);
        net.Skip![FeatureSchema.FgdScore] = -100f;
        var model = TestCluster.Save(net, temp.Path);
        var outDir = Path.Combine(temp.Path, "out");

        var (code, _, error) = Run(Arguments(temp, mode, "FGD,Learned", outDir), model);

        Assert.True(code == 0, error);
        Assert.Empty(error);
        var results = Results(outDir);
        var fgd = PerSeed(results, "FGD", "unallocatedGpuPercent");
        var learned = PerSeed(results, "Learned", "unallocatedGpuPercent");
        Assert.True(learned.Average() > fgd.Average(), $"anti-FGD {string.Join(' ', learned)} should leave more GPUs unallocated than FGD {string.Join(' ', fgd)}");
    }

    [Theory]
    [InlineData("artifact")]
    [InlineData("kube")]
    public void Run_WorkloadWithGpuModelConstrainedClass_LearnedIsFgdSeedForSeedAndSaysSo(string mode)
    {
        using var temp = new TempDirectory();

        // The anti-FGD model of the test above: any pod it placed would differ from FGD's placement.
        var net = TestCluster.FgdNetwork(offset: 100f);
        net.Skip![FeatureSchema.FgdScore] = -100f;
        var model = TestCluster.Save(net, temp.Path);
        var outDir = Path.Combine(temp.Path, "out");
        var (code, _, error) = Run(Arguments(temp, mode, "FGD,Learned", outDir, constrainedEvery: 4), model);

        Assert.True(code == 0, error);
        var results = Results(outDir);
        Assert.Equal(PerSeed(results, "FGD", "unallocatedGpuPercent"), PerSeed(results, "Learned", "unallocatedGpuPercent"));
        var note = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("lepton simulate: note: ", note, StringComparison.Ordinal);
        Assert.Contains("by its out-of-distribution guard (workload_mix_out_of_distribution ", note, StringComparison.Ordinal);
        Assert.Contains(", gpu_model_constraint 0)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingModel_OneErrorExitTwoNothingWritten()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");
        var missing = Path.Combine(temp.Path, "nope.onnx");

        var (code, output, error) = Run(Arguments(temp, "artifact", "FGD,Learned", outDir), missing);

        AssertUsageError(code, output, error, outDir, $"lepton simulate: --model '{missing}' does not exist");
    }

    [Fact]
    public void Run_TruncatedModel_OneErrorExitTwoNothingWritten()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");
        var good = File.ReadAllBytes(TestCluster.Save(TestCluster.FgdNetwork(), temp.Path));
        var truncated = Path.Combine(temp.Path, "truncated.onnx");
        File.WriteAllBytes(truncated, good[..(good.Length / 2)]);

        var (code, output, error) = Run(Arguments(temp, "kube", "Learned", outDir), truncated);

        AssertUsageError(code, output, error, outDir, $"lepton simulate: --model '{truncated}' cannot be used as the Learned policy (load_error)");
    }

    [Fact]
    public void Run_PredictorGivenAsPolicy_SchemaMismatchExitTwoNothingWritten()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");
        var predictor = new Mlp(ModelSchema.Predictor.FeatureCount, 4, ModelSchema.Predictor.OutputWidth);
        predictor.Initialize(1);
        var path = TestCluster.Save(predictor, temp.Path, "predictor.onnx", ModelSchema.Predictor);

        var (code, output, error) = Run(Arguments(temp, "artifact", "Learned", outDir), path);

        AssertUsageError(code, output, error, outDir, $"lepton simulate: --model '{path}' cannot be used as the Learned policy (schema_mismatch)");
    }

    [Fact]
    public void Run_ModelWithoutLearned_ExitTwo()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, error) = Run(Arguments(temp, "artifact", "FGD", outDir), TestCluster.Save(TestCluster.FgdNetwork(), temp.Path));

        AssertUsageError(code, output, error, outDir, "lepton simulate: --model is read only by the Learned policy");
    }

    [Fact]
    public void Run_UnknownPolicy_KnownPoliciesListLearned()
    {
        using var temp = new TempDirectory();
        var outDir = Path.Combine(temp.Path, "out");

        var (code, output, error) = Run(Arguments(temp, "artifact", "Tetris", outDir), null);

        AssertUsageError(code, output, error, outDir, "lepton simulate: unknown policy 'Tetris' in --policies; known policies: Random, DotProd");
        Assert.Contains("LeastAllocated, Learned", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("FGD,BestFit", false)]
    [InlineData("FGD, learned", true)]
    [InlineData("LEARNED", true)]
    [InlineData("LearnedX", false)]
    public void RequestsLearned_PolicyList_FindsNameInAnyCase(string? policies, bool expected) =>
        Assert.Equal(expected, LearnedSimulateInvocation.RequestsLearned(policies));

    private static void AssertUsageError(int code, string output, string error, string outDir, string expectedStart)
    {
        Assert.Equal(SimulateInvocation.UsageError, code);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Empty(output);
        Assert.False(Directory.Exists(outDir));
    }

    private static JsonElement Results(string outDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "results.json")));
        return doc.RootElement.Clone();
    }

    private static double[] PerSeed(JsonElement results, string policy, string property)
    {
        var p = results.GetProperty("policies").EnumerateArray().Single(e => e.GetProperty("policy").GetString() == policy);
        var at100 = p.GetProperty(property).EnumerateArray().Single(l => l.GetProperty("arrivedPercent").GetInt32() == 100);
        return [.. at100.GetProperty("perSeed").EnumerateArray().Select(v => v.GetDouble())];
    }

    // 48 nodes: 8-card G2, 4-card V100M32 and 2-card T4.
    private static string WriteNodes(string directory)
    {
        var csv = new StringBuilder("sn,cpu_milli,memory_mib,gpu,model\n");
        for (var i = 0; i < 48; i++)
        {
            var (cards, model) = (i % 3) switch { 0 => (8, "G2"), 1 => (4, "V100M32"), _ => (2, "T4") };
            csv.Append(CultureInfo.InvariantCulture, $"node-{i:D3},96000,393216,{cards},{model}\n");
        }

        var path = Path.Combine(directory, "nodes.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    // Pods whose GPU demand is about 98% of the 224 GPUs, openb-like: shares, whole cards, a few multi-card and CPU-only pods.
    // With constrainedEvery > 0, every such GPU pod asks for V100M32 (gpu_spec), as in the gpuspec traces.
    private static string WritePods(string directory, int constrainedEvery = 0)
    {
        var random = new Random(7);
        var csv = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
        int[] shares = [100, 250, 300, 500, 500, 700];
        long gpuMilli = 0;
        for (var i = 0; gpuMilli < 224 * 1000 * 98 / 100; i++)
        {
            var kind = random.Next(20);
            var (count, milli) = kind switch
            {
                < 2 => (0, 0),
                < 10 => (1, shares[random.Next(shares.Length)]),
                < 18 => (1, 1000),
                < 19 => (2, 1000),
                _ => (4, 1000),
            };
            gpuMilli += count * milli;
            var cpu = 1000 * (1 + random.Next(count == 0 ? 4 : 12 * count));
            var spec = constrainedEvery > 0 && count > 0 && i % constrainedEvery == 0 ? "V100M32" : string.Empty;
            csv.Append(CultureInfo.InvariantCulture, $"pod-{i:D4},{cpu},{4096 * (1 + random.Next(8))},{count},{milli},{spec},LS,Running,{i},{i + 100},{i}\n");
        }

        var path = Path.Combine(directory, "pods.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}
