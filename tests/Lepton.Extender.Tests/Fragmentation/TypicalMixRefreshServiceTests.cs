using Lepton.Extender.Fragmentation;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Scheduling.Fragmentation;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lepton.Extender.Tests.Fragmentation;

public sealed class TypicalMixRefreshServiceTests
{
    [Fact]
    public async Task ExecuteAsync_IntervalPasses_RebuildsFromRecentPods()
    {
        using var harness = new ExtenderHarness(o =>
        {
            o.MinRecentPodsForMix = 5;
            o.MixRefreshInterval = TimeSpan.FromSeconds(30);
        });
        harness.WithNodes(Make.GpuNode("n", cpuMilli: 1_000_000));
        var provider = harness.Services.GetRequiredService<TypicalMixProvider>();
        var sut = harness.Services.GetServices<IHostedService>().OfType<TypicalMixRefreshService>().Single();
        await sut.StartAsync(CancellationToken.None);
        Assert.True(provider.UsesBuiltIn);

        for (var i = 0; i < 5; i++)
        {
            harness.State.Confirm(Make.Demand("s" + i, gpus: 1, milli: 400, cpuMilli: 100), "n");
        }

        harness.Time.Advance(TimeSpan.FromSeconds(30));

        await WaitUntilAsync(() => !provider.UsesBuiltIn);
        await sut.StopAsync(CancellationToken.None);
        Assert.Equal(400, Assert.Single(provider.Current.Tasks).GpuMilli);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The timer's continuation runs on the thread pool after Advance; yield until it has run
        // (no sleeps; the deadline only bounds a broken test).
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Yield();
        }

        Assert.True(condition());
    }
}
