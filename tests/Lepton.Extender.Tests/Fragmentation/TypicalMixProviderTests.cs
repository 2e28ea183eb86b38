using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Fragmentation;

public sealed class TypicalMixProviderTests
{
    [Fact]
    public void Current_FewRecentPods_IsBuiltInMix()
    {
        var state = new ClusterState();
        state.UpsertNode(Make.GpuNode("n"));
        state.Confirm(Make.Demand("a", gpus: 1), "n");
        var sut = new TypicalMixProvider(state, minPods: 10, coverage: 0.95);

        sut.Refresh();

        Assert.True(sut.UsesBuiltIn);
        Assert.Equal(BuiltInTypicalMix.Classes.Count, sut.Current.Tasks.Count);
    }

    [Fact]
    public void Refresh_EnoughRecentPods_BuildsLiveMix()
    {
        var state = new ClusterState();
        state.UpsertNode(Make.GpuNode("n", cards: 8, cpuMilli: 1_000_000));
        for (var i = 0; i < 10; i++)
        {
            state.Confirm(Make.Demand("s" + i, gpus: 1, milli: 250, cpuMilli: 100), "n");
        }

        var sut = new TypicalMixProvider(state, minPods: 10, coverage: 0.95);

        Assert.True(sut.Refresh());
        Assert.False(sut.UsesBuiltIn);
        var task = Assert.Single(sut.Current.Tasks);
        Assert.Equal((250, 1, 1.0), (task.GpuMilli, task.GpuCount, task.Probability));
        Assert.False(sut.Refresh()); // unchanged state: nothing rebuilt
    }

    [Fact]
    public void BuiltInMix_WeightsSumToOne()
    {
        var model = BuiltInTypicalMix.CreateModel();

        Assert.Equal(1.0, model.Tasks.Sum(t => t.Probability), 9);
        Assert.Contains(model.Tasks, t => t.GpuCount == 8);
        Assert.Contains(model.Tasks, t => t.GpuCount == 0);
    }
}
