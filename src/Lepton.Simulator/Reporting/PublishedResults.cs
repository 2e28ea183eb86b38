using System.Collections.Frozen;

namespace Lepton.Simulator.Reporting;

/// <summary>
/// The FGD paper artifact's published table: unallocated GPU % at 100% arrived workload, mean ±
/// population SD over seeds 42..51, per openb pod list and policy
/// (<c>experiments/analysis/expected_results/analysis_allo_discrete.csv</c> of
/// <c>hkust-adsl/kubernetes-scheduler-simulator</c>; <c>traces/openb/README.md</c>).
/// </summary>
public static class PublishedResults
{
    private static readonly string[] Policies = ["Random", "DotProd", "GpuClustering", "GpuPacking", "BestFit", "FGD"];

    private static readonly FrozenDictionary<string, (double Mean, double Sd)[]> Table = new Dictionary<string, (double, double)[]>
    {
        ["openb_pod_list_cpu050"] = [(10.98, 0.25), (6.97, 0.18), (6.48, 0.33), (6.54, 0.30), (6.44, 0.12), (5.00, 0.11)],
        ["openb_pod_list_cpu100"] = [(12.57, 0.27), (8.27, 0.26), (7.58, 0.38), (7.50, 0.39), (6.74, 0.12), (4.79, 0.13)],
        ["openb_pod_list_default"] = [(13.70, 0.31), (9.38, 0.18), (8.35, 0.58), (8.22, 0.50), (7.14, 0.14), (4.77, 0.10)],
        ["openb_pod_list_gpushare40"] = [(15.14, 0.32), (10.70, 0.13), (10.24, 0.58), (10.23, 0.50), (8.56, 0.19), (6.04, 0.07)],
        ["openb_pod_list_gpushare60"] = [(17.19, 0.33), (13.18, 0.27), (13.10, 0.39), (12.85, 0.35), (10.94, 0.17), (8.75, 0.12)],
        ["openb_pod_list_gpuspec10"] = [(13.74, 0.24), (9.83, 0.37), (8.04, 0.67), (7.76, 0.62), (6.90, 0.20), (5.34, 0.18)],
        ["openb_pod_list_gpuspec20"] = [(14.10, 0.33), (11.71, 0.16), (10.89, 0.20), (10.72, 0.24), (11.54, 0.12), (5.34, 0.13)],
        ["openb_pod_list_multigpu20"] = [(13.08, 0.49), (8.15, 0.30), (6.66, 0.57), (6.50, 0.60), (6.27, 0.24), (4.47, 0.15)],
        ["openb_pod_list_multigpu30"] = [(13.37, 0.44), (6.89, 0.30), (5.45, 0.30), (5.30, 0.30), (5.43, 0.22), (3.64, 0.09)],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The pod lists the table covers.</summary>
    public static IReadOnlyCollection<string> Workloads => Table.Keys;

    /// <summary>Looks a published value up.</summary>
    /// <param name="workload">The pod list name (file name without extension).</param>
    /// <param name="policy">The policy.</param>
    /// <param name="value">Mean and population SD of unallocated GPU % at 100% arrived.</param>
    /// <returns>True when the table has the pair.</returns>
    public static bool TryGet(string workload, string policy, out (double Mean, double Sd) value)
    {
        value = default;
        if (workload is null || !Table.TryGetValue(workload, out var row))
        {
            return false;
        }

        var i = Array.FindIndex(Policies, p => string.Equals(p, policy, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
        {
            return false;
        }

        value = row[i];
        return true;
    }

    /// <summary>The tolerance the fidelity tests hold a policy to: ±0.6 points for BestFit and FGD, ±1.5 for the others.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>Percentage points.</returns>
    public static double Tolerance(string policy) =>
        policy is "BestFit" or "FGD" ? 0.6 : 1.5;
}
