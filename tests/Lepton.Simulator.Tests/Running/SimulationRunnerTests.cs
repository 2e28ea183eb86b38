using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;

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
    public void Validate_UnknownPolicy_NamesTheKnownOnes()
    {
        var message = SimulationRunner.Validate(TestWorkload.Small(), new SimulationOptions { Policies = ["Tetris"] });

        Assert.StartsWith("unknown policy 'Tetris'; known policies: Random, DotProd", message, StringComparison.Ordinal);
    }
}
