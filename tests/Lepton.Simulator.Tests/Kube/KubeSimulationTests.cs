using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Kube;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;

namespace Lepton.Simulator.Tests.Kube;

public class KubeSimulationTests
{
    [Fact]
    public void Run_SameSeed_SameResult()
    {
        var workload = TestWorkload.Small();
        var fragmentation = SimulationRunner.TypicalTasks(workload);

        RunResult Once() => KubeSimulation.Run(workload, ArrivalPlanner.Build(workload, 42), ScorerRegistry.CreateDefault().Create("FGD"), fragmentation, KubeDefaults.Scheduler(), ScoreMapping.MinMax);

        var a = Once();
        var b = Once();

        Assert.Equal(a.Curve!.ToArray(), b.Curve!.ToArray());
        Assert.Equal(SimulationMode.Kube, a.Mode);
        Assert.NotNull(a.Kube);
        Assert.True(a.Kube!.ScoredCycles > 0);
    }

    [Fact]
    public void Run_NoPluginsTopOnlyHighWeight_MatchesTheArtifactUpToTieBreaks()
    {
        // With no default plugins and TopOnly, kube picks among exactly the policy's best nodes
        // (uniformly instead of by node priority), so the result stays close to the artifact's.
        var workload = TestWorkload.Small();
        var fragmentation = SimulationRunner.TypicalTasks(workload);
        var options = new KubeSchedulerOptions { FitStrategy = NodeResourcesFitStrategy.Disabled, BalancedAllocationWeight = 0 };
        var seeds = Enumerable.Range(42, 4).ToArray();

        var kube = seeds.Average(s => KubeSimulation.Run(workload, ArrivalPlanner.Build(workload, s), new Scheduling.Scoring.Fgd.FgdScorer(), fragmentation, options, ScoreMapping.TopOnly).UnallocatedAt(100)!.Value);
        var artifact = seeds.Average(s => ArtifactSimulation.Run(workload, ArrivalPlanner.Build(workload, s), new Scheduling.Scoring.Fgd.FgdScorer(), fragmentation).UnallocatedAt(100)!.Value);

        Assert.InRange(kube - artifact, -1.5, 1.5);
    }
}
