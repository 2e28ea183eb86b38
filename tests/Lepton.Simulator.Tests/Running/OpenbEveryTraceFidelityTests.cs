using Lepton.Simulator.Reporting;
using Lepton.Simulator.Running;
using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Workloads;
using Xunit.Abstractions;

namespace Lepton.Simulator.Tests.Running;

/// <summary>
/// The artifact table on the eight other openb pod lists (60 runs each). Heavy, so opt-in:
/// set <c>LEPTON_FIDELITY_ALL=1</c> (docs/SIMULATOR.md section 4 holds the numbers).
/// </summary>
public class OpenbEveryTraceFidelityTests
{
    private readonly ITestOutputHelper _output;

    public OpenbEveryTraceFidelityTests(ITestOutputHelper output) => _output = output;

    [SkippableTheory]
    [InlineData("openb_pod_list_cpu050")]
    [InlineData("openb_pod_list_cpu100")]
    [InlineData("openb_pod_list_gpushare40")]
    [InlineData("openb_pod_list_gpushare60")]
    [InlineData("openb_pod_list_gpuspec10")]
    [InlineData("openb_pod_list_gpuspec20")]
    [InlineData("openb_pod_list_multigpu20")]
    [InlineData("openb_pod_list_multigpu30")]
    public void Trace_UnallocatedAt100_MatchesThePublishedMeans(string trace)
    {
        Skip.If(OpenbTraces.Directory is null, OpenbTraces.SkipMessage);
        Skip.IfNot(Environment.GetEnvironmentVariable("LEPTON_FIDELITY_ALL") == "1", "Set LEPTON_FIDELITY_ALL=1 to check every openb pod list (480 runs).");

        var report = SimulationRunner.Run(OpenbCsv.Load(OpenbTraces.NodeList, OpenbTraces.PodList(trace)), new SimulationOptions());

        foreach (var p in report.Policies)
        {
            var mean = p.At(100)!.Mean!.Value;
            Assert.True(PublishedResults.TryGet(trace, p.Policy, out var published));
            _output.WriteLine($"{p.Policy}: {mean:F2} (published {published.Mean:F2})");
            Assert.InRange(mean, published.Mean - PublishedResults.Tolerance(p.Policy), published.Mean + PublishedResults.Tolerance(p.Policy));
        }
    }
}
