using BenchmarkDotNet.Attributes;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Benchmarks.Simulator;

/// <summary>One artifact-mode run per policy on the built-in workload (throughput and allocations).</summary>
[MemoryDiagnoser]
public class ArtifactRunBenchmarks
{
    private Workload _workload = null!;
    private FragmentationModel _fragmentation = null!;

    /// <summary>The policy.</summary>
    [Params("BestFit", "FGD")]
    public string Policy { get; set; } = "FGD";

    /// <summary>Builds the workload and its typical-task mix.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workload = SyntheticWorkload.Create();
        _fragmentation = SimulationRunner.TypicalTasks(_workload);
    }

    /// <summary>One run, seed 42.</summary>
    /// <returns>The unallocated GPU % at 100% arrived.</returns>
    [Benchmark]
    public double Run() =>
        ArtifactSimulation.Run(_workload, ArrivalPlanner.Build(_workload, 42), ScorerRegistry.CreateDefault().Create(Policy), _fragmentation).UnallocatedAt(100) ?? 0;
}
