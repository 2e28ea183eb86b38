using Lepton.Simulator.Workloads;

namespace Lepton.Models.Training;

/// <summary>The openb trace files (<c>../shared/traces/openb</c>) by short name.</summary>
public static class OpenbTraces
{
    /// <summary>The traces the policy trains on.</summary>
    public static IReadOnlyList<string> Training { get; } = ["default", "gpushare40", "multigpu20", "cpu050"];

    /// <summary>Every openb pod list.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["cpu050", "cpu100", "default", "gpushare40", "gpushare60", "gpuspec10", "gpuspec20", "multigpu20", "multigpu30"];

    /// <summary>The GPU node list file name.</summary>
    public const string NodeFile = "openb_node_list_gpu_node.csv";

    /// <summary>The pod list file of a trace.</summary>
    /// <param name="directory">The trace directory.</param>
    /// <param name="name">The short name (<c>default</c>, <c>gpushare40</c>…).</param>
    /// <returns>The path.</returns>
    public static string PodFile(string directory, string name) => Path.Combine(directory, $"openb_pod_list_{name}.csv");

    /// <summary>Loads a trace as a simulator workload.</summary>
    /// <param name="directory">The trace directory.</param>
    /// <param name="name">The short name.</param>
    /// <returns>The workload.</returns>
    public static Workload Load(string directory, string name) =>
        OpenbCsv.Load(Path.Combine(directory, NodeFile), PodFile(directory, name));
}
