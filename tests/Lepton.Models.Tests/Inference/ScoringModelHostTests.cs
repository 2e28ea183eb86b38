using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Models.Tests.Testing;
using Lepton.Testing;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Lepton.Models.Tests.Inference;

public class ScoringModelHostTests
{
    private static ModelMetrics NewMetrics() => new(Prometheus.Metrics.NewCustomRegistry());

    private static ScoringModelHost Host(string path, TimeProvider? time = null, ModelMetrics? metrics = null) =>
        new(path, ModelSchema.Policy, ExecutionProviderOption.Cpu, metrics ?? NewMetrics(), time: time);

    private static FallbackReason RunOnce(IScoringModel model, out float score)
    {
        var x = TestCluster.RandomFeatures(1, 1);
        var y = new float[1];
        var r = model.Run(x, 1, y);
        score = y[0];
        return r;
    }

    [Fact]
    public void Run_MissingFile_ReportsMissing()
    {
        using var dir = new TempDirectory();
        using var sut = Host(Path.Combine(dir.Path, "nope.onnx"));

        Assert.Equal(FallbackReason.Missing, RunOnce(sut, out _));
        Assert.False(sut.IsLoaded);
        Assert.Equal("none", sut.Provider);
    }

    [Fact]
    public void Run_TruncatedFile_ReportsLoadError()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        using var sut = Host(path);

        Assert.Equal(FallbackReason.LoadError, RunOnce(sut, out _));
        Assert.Contains("ONNX Runtime cannot load", sut.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongInputWidth_ReportsSchemaMismatch()
    {
        using var dir = new TempDirectory();
        var narrow = new ModelSchema("policy", FeatureSchema.Version, [.. FeatureSchema.Names.Take(10)]);
        var path = TestCluster.Save(new Mlp(10, 4, 1), dir.Path, schema: narrow);

        using var sut = Host(path);

        Assert.Equal(FallbackReason.SchemaMismatch, RunOnce(sut, out _));
        Assert.Contains("needs [N, 32]", sut.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OtherSchemaVersion_ReportsSchemaMismatch()
    {
        using var dir = new TempDirectory();
        var old = ModelSchema.Policy with { Version = "lepton.features/v0" };
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path, schema: old);

        using var sut = Host(path);

        Assert.Equal(FallbackReason.SchemaMismatch, RunOnce(sut, out _));
        Assert.Contains("lepton.features/v0", sut.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GoodModel_RunsOnCpuAndSetsProviderGauge()
    {
        using var dir = new TempDirectory();
        var metrics = NewMetrics();
        using var sut = Host(TestCluster.Save(TestCluster.FgdNetwork(offset: 3f), dir.Path), metrics: metrics);

        Assert.Equal(FallbackReason.None, RunOnce(sut, out _));
        Assert.Equal("cpu", sut.Provider);
        Assert.Equal(1, metrics.ProviderValue("cpu"));
        Assert.Equal(0, metrics.ProviderValue("cuda"));
    }

    [Fact]
    public async Task CheckForChanges_FileReplacedUnderConcurrentRequests_NoFailureAndNewModelUsed()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider();
        var path = TestCluster.Save(TestCluster.FgdNetwork(offset: 1000f), dir.Path);
        using var sut = Host(path, time);
        using var polling = sut.StartPolling(TimeSpan.FromSeconds(10));
        var x = new float[64 * FeatureSchema.Count];
        var failures = 0;
        var seenNew = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var y = new float[64];
            while (!stop.IsCancellationRequested)
            {
                if (sut.Run(x, 64, y) != FallbackReason.None || y.Any(v => v is not (1000f or 2000f)))
                {
                    Interlocked.Increment(ref failures);
                }

                if (y[0] == 2000f)
                {
                    Interlocked.Increment(ref seenNew);
                }
            }
        })).ToArray();

        for (var round = 0; round < 6; round++)
        {
            TestCluster.Save(TestCluster.FgdNetwork(offset: round % 2 == 0 ? 2000f : 1000f), dir.Path);
            File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 1, 0, 0, round, DateTimeKind.Utc));
            time.Advance(TimeSpan.FromSeconds(10));
        }

        TestCluster.Save(TestCluster.FgdNetwork(offset: 2000f), dir.Path);
        File.SetLastWriteTimeUtc(path, new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        time.Advance(TimeSpan.FromSeconds(10));
        var after = new float[64];
        var reason = sut.Run(x, 64, after);
        SpinWait.SpinUntil(() => Volatile.Read(ref seenNew) > 0, TimeSpan.FromSeconds(10));
        stop.Cancel();
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.Equal(FallbackReason.None, reason);
        Assert.Equal(2000f, after[0]);
        Assert.Equal(8, sut.Generation);
        Assert.True(seenNew > 0);
    }

    [Fact]
    public void CheckForChanges_FileDeletedThenRestored_FallsBackThenRecovers()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        using var sut = Host(path);
        Assert.True(sut.IsLoaded);

        File.Delete(path);
        Assert.True(sut.CheckForChanges());
        Assert.Equal(FallbackReason.Missing, RunOnce(sut, out _));

        TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        Assert.True(sut.CheckForChanges());
        Assert.Equal(FallbackReason.None, RunOnce(sut, out _));
    }

    [Fact]
    public void CheckForChanges_SameContentNewTimestamp_KeepsSession()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        using var sut = Host(path);

        File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.False(sut.CheckForChanges());
        Assert.Equal(1, sut.Generation);
    }

    [Fact]
    public async Task CheckForChanges_ModelScoresTheProbeRowAsNaN_RefusedAndNotLoaded()
    {
        using var dir = new TempDirectory();
        var net = TestCluster.FgdNetwork();
        net.Layers[^1].Bias[0] = float.NaN;
        var path = TestCluster.Save(net, dir.Path);
        var registry = Prometheus.Metrics.NewCustomRegistry();

        using var sut = Host(path, metrics: new ModelMetrics(registry));

        Assert.False(sut.IsLoaded);
        Assert.Equal(FallbackReason.Nan, sut.Failure);
        Assert.Contains("probe row", sut.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(FallbackReason.Nan, RunOnce(sut, out _));
        Assert.Equal(0, await GaugeAsync(registry, "lepton_model_loaded"));
    }

    [Fact]
    public async Task Run_ConsecutiveNaNOutputs_ModelLoadedGaugeDropsUntilItScoresFinitelyAgain()
    {
        using var dir = new TempDirectory();
        // Finite on the all-zero probe row, overflowing (inf - inf = NaN) on any real row.
        var net = TestCluster.FgdNetwork();
        net.Skip = [.. Enumerable.Range(0, FeatureSchema.Count).Select(i => i % 2 == 0 ? float.MaxValue : -float.MaxValue)];
        var path = TestCluster.Save(net, dir.Path);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var sut = new ScoringModelHost(path, ModelSchema.Policy, ExecutionProviderOption.Cpu, new ModelMetrics(registry), nanRunsUntilUnusable: 3);
        var loadedAtStart = await GaugeAsync(registry, "lepton_model_loaded");

        var reasons = Enumerable.Range(0, 3).Select(i => RunOnce(sut, out _)).ToList();
        var unusable = (sut.IsUsable, await GaugeAsync(registry, "lepton_model_loaded"));
        var recovered = sut.Run(new float[FeatureSchema.Count], 1, new float[1]);

        Assert.Equal(1, loadedAtStart);
        Assert.All(reasons, r => Assert.Equal(FallbackReason.Nan, r));
        Assert.Equal((false, 0d), unusable);
        Assert.Equal(FallbackReason.None, recovered);
        Assert.True(sut.IsUsable);
        Assert.Equal(1, await GaugeAsync(registry, "lepton_model_loaded"));
    }

    [Fact]
    public void Constructor_LoadNowFalse_TouchesNoFileUntilFirstUse()
    {
        using var dir = new TempDirectory();
        var path = TestCluster.Save(TestCluster.FgdNetwork(), dir.Path);
        var time = new FakeTimeProvider();
        using var sut = new ScoringModelHost(path, ModelSchema.Policy, ExecutionProviderOption.Cpu, NewMetrics(), time: time, loadNow: false);
        using var polling = sut.StartPolling(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromMinutes(1));
        var before = (sut.LoadAttempted, sut.IsLoaded, sut.Generation);
        var reason = RunOnce(sut, out _);

        Assert.Equal((false, false, 0), before);
        Assert.Equal(FallbackReason.None, reason);
        Assert.Equal(1, sut.Generation);
    }

    private static async Task<double> GaugeAsync(CollectorRegistry registry, string name)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var line = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
