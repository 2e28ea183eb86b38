namespace Lepton.Simulator.Tests.Testing;

/// <summary>
/// Finds the openb trace folder: up from the test assembly to the folder holding
/// <c>Lepton.K8s.sln</c>, then <c>../shared/traces/openb</c>. Null when absent (tests skip).
/// </summary>
internal static class OpenbTraces
{
    public static readonly string? Directory = Find();

    public const string SkipMessage = "The openb trace folder ../shared/traces/openb (next to the repository root) is absent; fidelity tests skipped.";

    public static string NodeList => Path.Combine(Directory!, "openb_node_list_gpu_node.csv");

    public static string PodList(string name) => Path.Combine(Directory!, name + ".csv");

    private static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lepton.K8s.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            return null;
        }

        var traces = Path.Combine(dir.Parent.FullName, "shared", "traces", "openb");
        return File.Exists(Path.Combine(traces, "openb_node_list_gpu_node.csv")) ? traces : null;
    }
}
