using Lepton.Extender.Metrics;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Prometheus;

namespace Lepton.Extender.Tests.Metrics;

public sealed class ExtenderMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    [Fact]
    public async Task RecordGpus_NodesOfTwoModels_OneSeriesPerModelInGpus()
    {
        var sut = new ExtenderMetrics(_registry);
        NodeState[] nodes =
        [
            Make.State(Make.Node("a1", gpus: 8, model: "A100"), [0, 0, 500, 1000, 1000, 1000, 1000, 1000]),
            Make.State(Make.Node("a2", gpus: 8, model: "A100"), [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]),
            Make.State(Make.Node("v1", gpus: 4, model: "V100"), [0, 0, 0, 0]),
            Make.State(Make.Node("x1", gpus: 2, model: null), [1000, 1000]),
            Make.State(Make.CpuNode("cpu"), []),
        ];
        var mix = BuiltInTypicalMix.CreateModel();

        sut.RecordGpus(nodes, mix);
        var text = await ScrapeAsync();

        Assert.Contains("lepton_gpu_capacity_gpus{gpu_model=\"A100\"} 16", text, StringComparison.Ordinal);
        Assert.Contains("lepton_gpu_allocated_gpus{gpu_model=\"A100\"} 2.5", text, StringComparison.Ordinal);
        Assert.Contains("lepton_gpu_capacity_gpus{gpu_model=\"V100\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("lepton_gpu_allocated_gpus{gpu_model=\"V100\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("lepton_gpu_capacity_gpus{gpu_model=\"unknown\"} 2", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("lepton_gpu_capacity_gpus{", StringComparison.Ordinal)));
        var a100 = (mix.Of(nodes[0]) + mix.Of(nodes[1])) / 1000.0;
        Assert.True(a100 > 0);
        Assert.Equal(a100, Value(text, "lepton_gpu_fragmentation_gpus{gpu_model=\"A100\"}"), 9);
        Assert.Equal(0, Value(text, "lepton_gpu_fragmentation_gpus{gpu_model=\"V100\"}"), 9);
    }

    [Fact]
    public async Task RecordGpus_ModelGone_RemovesItsSeries()
    {
        var sut = new ExtenderMetrics(_registry);
        sut.RecordGpus([Make.State(Make.Node("a1", gpus: 8, model: "A100"), []), Make.State(Make.Node("v1", gpus: 4, model: "V100"), [])], FragmentationModel.Empty);

        sut.RecordGpus([Make.State(Make.Node("a1", gpus: 8, model: "A100"), [])], FragmentationModel.Empty);
        var text = await ScrapeAsync();

        Assert.Contains("gpu_model=\"A100\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gpu_model=\"V100\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_ScoringFallback_UsesTheSharedDefinition()
    {
        var sut = new ExtenderMetrics(_registry);

        sut.ScoringFallback("pod_unmappable");
        var text = await ScrapeAsync();

        Assert.Contains($"# HELP {ScoringFallbackMetric.Name} {ScoringFallbackMetric.Help}\n", text, StringComparison.Ordinal);
        Assert.Contains(ScoringFallbackMetric.Name + "{reason=\"pod_unmappable\"} 1", text, StringComparison.Ordinal);
    }

    private static double Value(string text, string series) =>
        double.Parse(text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
