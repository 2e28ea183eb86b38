namespace Lepton.Models.Tests.Testing;

/// <summary>Locates checked-in files (the shipped models) by walking up from the test binaries to the solution file.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The openb trace folder next to the repository (<c>../shared/traces/openb</c>), or null when absent (tests skip).</summary>
    public static string? OpenbTraces
    {
        get
        {
            var traces = Path.Combine(Path.GetDirectoryName(Root) ?? Root, "shared", "traces", "openb");
            return File.Exists(Path.Combine(traces, "openb_pod_list_default.csv")) ? traces : null;
        }
    }

    public const string OpenbSkipMessage = "The openb trace folder ../shared/traces/openb (next to the repository root) is absent.";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lepton.K8s.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Lepton.K8s.sln not found above {AppContext.BaseDirectory}.");
    }
}
