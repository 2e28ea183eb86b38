using Lepton.Extender.Loading;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Kubernetes;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lepton.Extender.Tests.Loading;

public sealed class ClusterStateFileLoaderTests
{
    [Fact]
    public async Task StartAsync_ExampleFile_LoadsStateAndBecomesReady()
    {
        using var harness = new ExtenderHarness(o => o.ClusterStateFile = ExampleFile());
        var sut = harness.Services.GetServices<IHostedService>().OfType<ClusterStateFileLoader>().Single();
        Assert.False(harness.Readiness.IsReady);

        await sut.StartAsync(CancellationToken.None);

        Assert.True(harness.Readiness.IsReady);
        Assert.Equal(7, harness.State.NodeCount);
        Assert.True(harness.State.TryGetNode("gpu-t4-0", out var t4));
        Assert.Equal(4, t4.Inventory.GpuCards);
        Assert.True(harness.Pods.TryGetPod("inference", "chat-small-0", "7c9d2b1e-3a4f-4e6b-9c8d-202020202101", out var pending, out _));
        Assert.Equal(400, pending.GpuMilli);
    }

    [Fact]
    public async Task StartAsync_ExampleFile_PendingPodBindsWithoutAFilterCall()
    {
        using var harness = new ExtenderHarness(o => o.ClusterStateFile = ExampleFile());
        await harness.Services.GetServices<IHostedService>().OfType<ClusterStateFileLoader>().Single().StartAsync(CancellationToken.None);

        var result = await harness.Extender.BindAsync(
            new Lepton.Kubernetes.Wire.ExtenderBindingArgs { PodName = "chat-small-0", PodNamespace = "inference", PodUID = "7c9d2b1e-3a4f-4e6b-9c8d-202020202101", Node = "gpu-t4-0" },
            CancellationToken.None);

        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task StartAsync_BrokenFile_ThrowsWithFileName()
    {
        using var directory = new TempDirectory();
        var path = directory.File("broken.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{}}]}");
        using var harness = new ExtenderHarness(o => o.ClusterStateFile = path);
        var sut = harness.Services.GetServices<IHostedService>().OfType<ClusterStateFileLoader>().Single();

        var e = await Assert.ThrowsAsync<ClusterStateFileException>(() => sut.StartAsync(CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.False(harness.Readiness.IsReady);
    }

    internal static string ExampleFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "cluster-state.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("examples/cluster-state.json not found above " + AppContext.BaseDirectory);
    }
}
