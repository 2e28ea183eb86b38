using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring.BestFit;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Timeline;

public class TimelineSimulationTests
{
    private static RunResult Run(Workload workload, QueueOrder order = QueueOrder.Fifo) =>
        TimelineSimulation.Run(workload, ArrivalPlanner.Build(workload, 42), new BestFitScorer(), FragmentationModel.Empty, order);

    private static WorkloadPod At(PodDemand pod, long created, long deleted) => new(pod, created, deleted);

    [Fact]
    public void Run_PodThatDoesNotFit_WaitsForADeparture()
    {
        var workload = TestWorkload.Create(
            [Make.Node("n", gpus: 1)],
            [At(Make.Pod("a", gpus: 1), 0, 100), At(Make.Pod("b", gpus: 1), 10, 60), At(Make.Pod("never", gpus: 2), 20, 30)]);

        var sut = Run(workload);

        var t = sut.Timeline!;
        Assert.Equal((3, 2), (sut.ArrivedPods, sut.PlacedPods));
        Assert.Equal(1, t.NeverPlaced);
        Assert.Equal(1, t.WaitedPods);
        Assert.Equal(90, t.MaxWaitSeconds); // b waits from 10 to 100
        Assert.Equal(45, t.MeanWaitSeconds);
        Assert.Equal(100.0, t.PeakAllocatedPercent);
        Assert.Equal(0.0, sut.FinalAllocatedPercent); // b ran 50 s from 100 to 150, then left
        Assert.Equal(100.0, t.MeanAllocatedPercent); // 0..20 (first to last arrival): always full
    }

    [Theory]
    [InlineData(QueueOrder.Fifo, 1080.0)]
    [InlineData(QueueOrder.Priority, 590.0)]
    public void Run_QueueOrder_DecidesWhoGetsFreedCapacity(QueueOrder order, double maxWait)
    {
        // One card, busy until 100. "low" (runs 1,000 s) arrives at 10, "high" (runs 500 s) at 20.
        // FIFO: low at 100 (waits 90), high at 1,100 (1,080). Priority: high at 100 (80), low at 600 (590).
        var workload = TestWorkload.Create(
            [Make.Node("n", gpus: 1)],
            [At(Make.Pod("running", gpus: 1), 0, 100), At(Make.Pod("low", gpus: 1, priority: 0), 10, 1010), At(Make.Pod("high", gpus: 1, priority: 2), 20, 520)]);

        var sut = Run(workload, order);

        Assert.Equal(maxWait, sut.Timeline!.MaxWaitSeconds);
        Assert.Equal(2, sut.Timeline.WaitedPods);
    }

    [Fact]
    public void Run_NoTimes_IsRefusedWithAClearMessage()
    {
        var workload = TestWorkload.Create([Make.Node("n")], Make.Pod("a", gpus: 1));

        var e = Assert.Throws<InvalidOperationException>(() => Run(workload));
        var validation = SimulationRunner.Validate(workload, new SimulationOptions { Mode = SimulationMode.Timeline });

        Assert.Contains("creation and deletion times", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, validation);
        Assert.Contains("multigpu", validation, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BuiltinTimeline_PlacesPodsAndReportsSeries()
    {
        var workload = SyntheticWorkload.Create(new SyntheticWorkloadOptions { ClusterScale = 0.05, DurationSeconds = 7_200, OfferedLoad = 0.9, LifetimeQuantileCap = 0.99 });

        var sut = Run(workload);

        Assert.True(sut.PlacedPods > 0.9 * sut.ArrivedPods);
        Assert.NotEmpty(sut.Timeline!.Series);
        Assert.True(sut.Timeline.Series.Count <= 401);
        Assert.InRange(sut.Timeline.MeanAllocatedPercent, 10, 100);
    }
}
