using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Tests;

/// <summary>
/// The full artifact table on openb's default trace (six policies × seeds 42..51), computed once
/// per test run and shared by every fidelity test (DECISIONS.md 18).
/// </summary>
public sealed class OpenbFidelityFixture
{
    private readonly Lazy<SimulationReport?> _report = new(() =>
    {
        if (OpenbTraces.Directory is null)
        {
            return null;
        }

        var workload = OpenbCsv.Load(OpenbTraces.NodeList, OpenbTraces.PodList("openb_pod_list_default"));
        return SimulationRunner.Run(workload, new SimulationOptions { Policies = ScorerRegistry.PaperPolicies, SeedCount = 10 });
    });

    public SimulationReport? Report => _report.Value;
}
