using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Queueing;
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

    private static RunResult Run(Workload workload, TimelineSettings settings) =>
        TimelineSimulation.Run(workload, ArrivalPlanner.Build(workload, 42), new BestFitScorer(), FragmentationModel.Empty, settings);

    // One card busy until 100; "long" (1,000 s) arrives at 10, "short" (100 s) at 20.
    private static Workload LongThenShort() => TestWorkload.Create(
        [Make.Node("n", gpus: 1)],
        [At(Make.Pod("running", gpus: 1), 0, 100), At(Make.Pod("long", gpus: 1), 10, 1010), At(Make.Pod("short", gpus: 1), 20, 120)]);

    [Fact]
    public void Run_SjfOracle_ShortestTrueLifetimeFirst()
    {
        // short at 100..200 (JCT 180), long at 200..1,200 (JCT 1,190), running JCT 100.
        var sut = Run(LongThenShort(), new TimelineSettings { Queue = QueueOrder.SjfOracle });

        Assert.Equal((100 + 180 + 1190) / 3.0, sut.Timeline!.MeanJctSeconds, 6);
        Assert.Equal(190, sut.Timeline.MaxWaitSeconds);
        Assert.Equal("sjf-oracle", sut.Queue);
    }

    [Fact]
    public void Run_Fifo_JctIsWaitPlusLifetime()
    {
        // long at 100..1,100 (JCT 1,090), short at 1,100..1,200 (JCT 1,180).
        var sut = Run(LongThenShort(), new TimelineSettings { Queue = QueueOrder.Fifo });

        var t = sut.Timeline!;
        Assert.Equal((100 + 1090 + 1180) / 3.0, t.MeanJctSeconds, 6);
        Assert.Equal(1180, t.P99JctSeconds);
        Assert.Equal(1200, t.MakespanSeconds);
        Assert.Equal(3, t.CountedPods);
        Assert.Equal(3 / (1200 / 3600.0), t.ThroughputPerHour, 6);
        Assert.Equal((1 + (1090 / 1000.0) + (1180 / 100.0)) / 3, t.MeanBoundedSlowdown, 6);
        Assert.Equal(201, t.JctQuantiles.Count);
        Assert.Equal(100, t.JctQuantiles[0]);
        Assert.Equal(1180, t.JctQuantiles[^1]);
    }

    [Fact]
    public void Run_SjfPredicted_UsesThePredictorGivenAtSubmission()
    {
        // The predictor swaps the truth: it calls "long" short, so long goes first.
        var predictor = new FixedPredictor(new Dictionary<string, double> { ["long"] = 5, ["short"] = 5000 });
        var sut = Run(LongThenShort(), new TimelineSettings { Queue = QueueOrder.SjfPredicted, Predictor = predictor, Guard = null });

        Assert.Equal(1080, sut.Timeline!.MaxWaitSeconds); // short waits 20..1,100
        Assert.Equal(3, sut.Timeline.PredictedPods);
    }

    [Fact]
    public void Run_SjfPredicted_GuardPromotesALongWaiter()
    {
        // One card busy until 100. "long" (1,000 s) at 10, two 60 s jobs at 20 and 30. Guard max(100 s, 0.1 x predicted):
        // long is promoted at 110, the short ones at 120 and 130. At 100 short20 goes first (nobody promoted yet); at 160
        // long (promoted at 110) goes before short30 (promoted at 130).
        var workload = TestWorkload.Create(
            [Make.Node("n", gpus: 1)],
            [At(Make.Pod("running", gpus: 1), 0, 100), At(Make.Pod("long", gpus: 1), 10, 1010), At(Make.Pod("short20", gpus: 1), 20, 80), At(Make.Pod("short30", gpus: 1), 30, 90)]);
        var truth = workload.Pods.ToDictionary(p => p.Pod.Name, p => (double)p.RunSeconds!.Value);
        var guarded = Run(workload, new TimelineSettings { Queue = QueueOrder.SjfPredicted, Predictor = new FixedPredictor(truth), Guard = new StarvationGuard(TimeSpan.FromSeconds(100), 0.1) });
        var unguarded = Run(workload, new TimelineSettings { Queue = QueueOrder.SjfPredicted, Predictor = new FixedPredictor(truth), Guard = null });

        Assert.Equal(1130, guarded.Timeline!.MaxWaitSeconds); // short30 waits 30..1,160
        Assert.Equal(2, guarded.Timeline.Promoted);
        Assert.Equal(210, unguarded.Timeline!.MaxWaitSeconds); // long waits 10..220
        Assert.Equal(0, unguarded.Timeline.Promoted);
    }

    [Fact]
    public void Run_Las_NewArrivalPreemptsAServedPod_AndPaysTheCheckpointCost()
    {
        // Levels at 100 GPU-s. "old" (BE, 1,000 s) runs from 0; "new" (BE, 50 s) arrives at 300 at level 0 and preempts it.
        // old had 300 s of progress, checkpoints every 120 s: keeps 240, loses 60; restarts at 350 with 60 s delay + 760 s.
        var workload = TestWorkload.Create(
            [Make.Node("n", gpus: 1)],
            [At(Make.Pod("old", gpus: 1, qos: "BE"), 0, 1000), At(Make.Pod("new", gpus: 1, qos: "BE"), 300, 350)]);
        var settings = new TimelineSettings
        {
            Queue = QueueOrder.Las,
            Levels = new([100]),
            CheckpointEvery = TimeSpan.FromSeconds(120),
            RestartDelay = TimeSpan.FromSeconds(60),
        };

        var sut = Run(workload, settings);

        var t = sut.Timeline!;
        Assert.Equal(1, t.Preemptions);
        Assert.Equal(60 / 3600.0, t.LostGpuHours, 9);
        Assert.Equal(350 + 60 + 760, t.MakespanSeconds);
        Assert.Equal((50 + 1170) / 2.0, t.MeanJctSeconds, 6);
    }

    [Fact]
    public void Run_Las_LatencySensitivePodIsNeverPreempted()
    {
        var workload = TestWorkload.Create(
            [Make.Node("n", gpus: 1)],
            [At(Make.Pod("old", gpus: 1, qos: "LS"), 0, 1000), At(Make.Pod("new", gpus: 1, qos: "BE"), 300, 350)]);

        var sut = Run(workload, new TimelineSettings { Queue = QueueOrder.Las, Levels = new([100]) });

        Assert.Equal(0, sut.Timeline!.Preemptions);
        Assert.Equal(700, sut.Timeline.MaxWaitSeconds);
    }

    [Fact]
    public void Run_SjfPredicted_PredictorSeesOnlyPodsFinishedBeforeTheSubmission()
    {
        var pods = Enumerable.Range(0, 30).Select(i => At(Make.Pod($"p{i:00}", gpus: 1), i * 10L, (i * 10L) + 25 + (i % 7 * 10))).ToList();
        var recorder = new RecordingPredictor();

        Run(TestWorkload.Create([Make.Node("n", gpus: 2)], pods), new TimelineSettings { Queue = QueueOrder.SjfPredicted, Predictor = recorder });

        Assert.Equal(30, recorder.Calls.Count);
        Assert.All(recorder.Calls, c => Assert.True(c.LastFinished is null || c.LastFinished <= c.SubmittedAt));
        Assert.Contains(recorder.Calls, c => c.Seen > 0);
    }

    [Fact]
    public void Run_ReportAfter_CountsOnlyPodsSubmittedAfterTheCut()
    {
        var sut = Run(LongThenShort(), new TimelineSettings { Queue = QueueOrder.Fifo, ReportAfterFraction = 0.5 });

        // Arrivals at 0, 10, 20: the cut is the second arrival's time (10), so "running" is left out.
        Assert.Equal(2, sut.Timeline!.CountedPods);
        Assert.Equal((1090 + 1180) / 2.0, sut.Timeline.MeanJctSeconds, 6);
    }

    private sealed class RecordingPredictor : IDurationPredictor
    {
        public List<(DateTimeOffset SubmittedAt, DateTimeOffset? LastFinished, long Seen)> Calls { get; } = [];

        public string Version => "recording";

        public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
        {
            Calls.Add((submittedAt, history.LastFinishedAt, history.Count));
            prediction = new DurationPrediction(100, DurationSource.Predicted, Version);
            return true;
        }
    }

    private sealed class FixedPredictor(IReadOnlyDictionary<string, double> byName) : IDurationPredictor
    {
        public string Version => "fixed";

        public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
        {
            prediction = new DurationPrediction(byName.TryGetValue(pod.Name, out var s) ? s : 1, DurationSource.Predicted, Version);
            return true;
        }
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
