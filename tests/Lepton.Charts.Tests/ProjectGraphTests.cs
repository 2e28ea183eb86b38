using System.Text.RegularExpressions;

namespace Lepton.Charts.Tests;

/// <summary>
/// Dependencies point inward to the scheduling core, and no project references a sibling
/// (issue 10): Scheduling ← Kubernetes ← {Extender, Operator, Simulator, Models} ← Models.Training ← Cli.
/// Read from the project files, so a reference that breaks the graph fails here before review.
/// </summary>
public sealed partial class ProjectGraphTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    /// <summary>Each source project's layer: a project may reference only projects of a lower layer.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Lepton.Scheduling"] = 0,
        ["Lepton.Kubernetes"] = 1,
        ["Lepton.Extender"] = 2,
        ["Lepton.Operator"] = 2,
        ["Lepton.Simulator"] = 2,
        ["Lepton.Models"] = 2,
        ["Lepton.Models.Training"] = 3,
        ["Lepton.Cli"] = 4,
    };

    [Fact]
    public void EverySourceProject_HasALayer()
    {
        var projects = SourceProjects().Select(p => p.Name).ToList();

        Assert.Equal(Layers.Keys.Order(StringComparer.Ordinal), projects.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ProjectReferences_PointOnlyInward()
    {
        var violations = new List<string>();
        foreach (var (name, path) in SourceProjects())
        {
            foreach (var reference in References(path))
            {
                if (!Layers.TryGetValue(reference, out var target) || target >= Layers[name])
                {
                    violations.Add($"{name} (layer {Layers[name]}) references {reference} (layer {(Layers.TryGetValue(reference, out var t) ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")})");
                }
            }
        }

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("Lepton.Operator", "Lepton.Extender")]
    [InlineData("Lepton.Models", "Lepton.Simulator")]
    [InlineData("Lepton.Extender", "Lepton.Simulator")]
    public void Project_DoesNotDependOn_EvenTransitively(string project, string forbidden)
    {
        Assert.DoesNotContain(forbidden, Closure(project));
    }

    [Theory]
    [InlineData("Lepton.Models", "ScottPlot")]
    [InlineData("Lepton.Extender", "ScottPlot")]
    [InlineData("Lepton.Operator", "ScottPlot")]
    [InlineData("Lepton.Models", "OnnxSharp")]
    public void ServingPathProject_DoesNotCarryPackage(string project, string package)
    {
        var carriers = Closure(project).Append(project).Where(p => Packages(ProjectPath(p)).Contains(package)).ToList();

        Assert.Empty(carriers);
    }

    private IEnumerable<(string Name, string Path)> SourceProjects() =>
        Directory.EnumerateFiles(Path.Combine(chart.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => (Path.GetFileNameWithoutExtension(p), p));

    private string ProjectPath(string name) => Path.Combine(chart.RepoRoot, "src", name, name + ".csproj");

    private HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(References(ProjectPath(project)));
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var r in References(ProjectPath(next)))
                {
                    pending.Push(r);
                }
            }
        }

        return seen;
    }

    private static IEnumerable<string> References(string csproj) =>
        ProjectReference().Matches(File.ReadAllText(csproj)).Select(m => Path.GetFileNameWithoutExtension(m.Groups[1].Value.Replace('\\', '/')));

    private static HashSet<string> Packages(string csproj) =>
        [.. PackageReference().Matches(File.ReadAllText(csproj)).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();

    [GeneratedRegex("<PackageReference Include=\"([^\"]+)\"")]
    private static partial Regex PackageReference();
}
