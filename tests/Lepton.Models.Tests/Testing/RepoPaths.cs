namespace Lepton.Models.Tests.Testing;

/// <summary>Locates checked-in files (the shipped models) by walking up from the test binaries to the solution file.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

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
