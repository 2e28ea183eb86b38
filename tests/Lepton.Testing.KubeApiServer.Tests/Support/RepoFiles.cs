using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Patching;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Files of this repository: the generated CRDs and the example manifests.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The LeptonJob CRD as generated into <c>crds/</c>, the one the chart installs.</summary>
    public static JsonObject LeptonJobCrd() => YamlJson.ParseObject(File.ReadAllText(Path("crds", "leptonjobs.lepton.ai.yaml")));

    public static JsonObject Example(string file) => YamlJson.ParseObject(File.ReadAllText(Path("examples", file)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lepton.K8s.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lepton.K8s.sln not found above " + AppContext.BaseDirectory);
    }
}
