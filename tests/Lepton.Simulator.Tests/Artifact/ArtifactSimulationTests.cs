using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Artifact;

public class ArtifactSimulationTests
{
    [Theory]
    [InlineData("FGD")]
    [InlineData("Random")]
    [InlineData("BestFit")]
    public void Run_SameSeed_SameResult(string policy)
    {
        var workload = TestWorkload.Small();
        var fragmentation = SimulationRunner.TypicalTasks(workload);
        var registry = ScorerRegistry.CreateDefault();

        var a = ArtifactSimulation.Run(workload, ArrivalPlanner.Build(workload, 42), registry.Create(policy), fragmentation);
        var b = ArtifactSimulation.Run(workload, ArrivalPlanner.Build(workload, 42), registry.Create(policy), fragmentation);

        Assert.Equal(a.Curve!.ToArray(), b.Curve!.ToArray());
        Assert.Equal(a.PlacedPods, b.PlacedPods);
    }

    [Fact]
    public void Run_Ties_GoToTheHigherNodePriority()
    {
        // Two identical empty nodes: every policy score ties, so the pod lands on the node the
        // seed's permutation ranks first.
        var workload = TestWorkload.Create([Make.Node("a"), Make.Node("b")], Make.Pod("p", gpus: 1));
        foreach (var seed in Enumerable.Range(1, 8))
        {
            var plan = ArrivalPlanner.Build(workload, seed, tuneRatio: 0);
            var state = ArtifactSimulation.CreateState(workload, plan);
            var placer = new PolicyPlacer(state, new Scheduling.Scoring.BestFit.BestFitScorer(), new ScoringContext(FragmentationModel.Empty, state.Scale, plan.Random));

            var chosen = placer.TryPlace(plan.Pods[0]);

            Assert.Equal(plan.NodesByPriority[0].Name, chosen!.Name);
        }
    }

    [Fact]
    public void Run_FailedPods_CountAsArrived()
    {
        // One 1-GPU node, two 1-GPU pods: the second fails, yet arrives.
        var workload = TestWorkload.Create([Make.Node("a", gpus: 1)], Make.Pod("p1", gpus: 1), Make.Pod("p2", gpus: 1));

        var sut = ArtifactSimulation.Run(workload, ArrivalPlanner.Build(workload, 42, tuneRatio: 0), new Scheduling.Scoring.BestFit.BestFitScorer(), FragmentationModel.Empty);

        Assert.Equal((2, 1, 1), (sut.ArrivedPods, sut.PlacedPods, sut.FailedPods));
        Assert.Equal(100.0, sut.Curve!.At(200));
        Assert.Equal(0.0, sut.UnallocatedAt(200));
    }
}
