using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Timeline;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Tests.Running;

public class SimulationRunnerTests
{
    [Fact]
    public void Run_ArtifactMode_SummarisesEverySeedAtEveryLevel()
    {
        var workload = TestWorkload.Small();
        var options = new SimulationOptions { Policies = ["BestFit", "fgd"], SeedCount = 3 };

        var sut = SimulationRunner.Run(workload, options);

        Assert.Equal(["BestFit", "FGD"], sut.Policies.Select(p => p.Policy));
        foreach (var p in sut.Policies)
        {
            Assert.Equal([42, 43, 44], p.Runs.Select(r => r.Seed));
            Assert.Equal([100, 110, 130], p.Levels.Select(l => l.Level));
            var at100 = p.At(100)!;
            Assert.Equal(3, at100.PerSeed.Count);
            var values = at100.PerSeed.Select(v => v!.Value).ToArray();
            Assert.Equal(values.Average(), at100.Mean!.Value, 9);
            var sd = Math.Sqrt(values.Sum(v => (v - values.Average()) * (v - values.Average())) / (values.Length - 1));
            Assert.Equal(sd, at100.StandardDeviation!.Value, 9);
        }
    }

    [Fact]
    public void Run_KubeMode_ComparesWithArtifactAndTheReference()
    {
        var workload = TestWorkload.Small();
        var options = new SimulationOptions { Mode = SimulationMode.Kube, Policies = ["FGD"], SeedCount = 2 };

        var sut = SimulationRunner.Run(workload, options);

        var fgd = sut.Policies.Single();
        Assert.All(fgd.Runs, r => Assert.Equal(SimulationMode.Kube, r.Mode));
        Assert.All(fgd.Artifact!.Runs, r => Assert.Equal(SimulationMode.Artifact, r.Mode));
        Assert.Null(fgd.Artifact.Artifact);
        Assert.Equal(2, sut.KubeReference!.Runs.Count);
    }

    [Fact]
    public void Run_LoadedTimeline_EveryQueueOrderOnTheSameSamplePerSeed()
    {
        var workload = SyntheticWorkload.Create(new SyntheticWorkloadOptions { ClusterScale = 0.05, DurationSeconds = 7_200, OfferedLoad = 0.9, LifetimeQuantileCap = 0.99 });
        var options = new SimulationOptions
        {
            Mode = SimulationMode.Timeline,
            Policies = ["BestFit"],
            SeedCount = 2,
            Queues = [QueueOrder.Fifo, QueueOrder.SjfOracle, QueueOrder.SjfPredicted],
            Gpus = 40,
            Load = 1.5,
        };

        var sut = SimulationRunner.Run(workload, options);

        Assert.Equal(["fifo", "sjf-oracle", "sjf-predicted"], sut.Policies.Select(p => p.Queue));
        Assert.Equal(2, sut.Scenarios.Count);
        Assert.All(sut.Scenarios, s => Assert.InRange(s.Gpus, 40, 60));
        Assert.All(sut.Policies, p => Assert.Equal([42, 43], p.Runs.Select(r => r.Seed)));

        // The same arrivals for every order: the same pods counted, and the oracle no worse than FIFO on mean JCT.
        var fifo = sut.Policies[0];
        var oracle = sut.Policies[1];
        Assert.Equal(fifo.Runs.Select(r => r.ArrivedPods), oracle.Runs.Select(r => r.ArrivedPods));
        Assert.True(oracle.Mean(r => r.Timeline!.MeanJctSeconds) <= fifo.Mean(r => r.Timeline!.MeanJctSeconds));
        Assert.Contains("sampled cluster", sut.Settings, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownPolicy_NamesTheKnownOnes()
    {
        var message = SimulationRunner.Validate(TestWorkload.Small(), new SimulationOptions { Policies = ["Tetris"] });

        Assert.StartsWith("unknown policy 'Tetris'; known policies: Random, DotProd", message, StringComparison.Ordinal);
    }
}
