using System.Text.RegularExpressions;

namespace Lepton.Charts.Tests;

/// <summary>Docker images cannot be built on CI machines, so the Dockerfile is checked by reading it.</summary>
public sealed partial class DockerfileTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    [Fact]
    public void Copy_EverySourcePathExists()
    {
        var sources = CopySources().ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(
            File.Exists(Path.Combine(chart.RepoRoot, s)) || Directory.Exists(Path.Combine(chart.RepoRoot, s)),
            $"the Dockerfile copies {s}, which does not exist"));
    }

    [Fact]
    public void RestoreLayer_CopiesEveryProjectTheCliReferencesTransitively()
    {
        var copied = CopySources().Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["src/Lepton.Cli/Lepton.Cli.csproj"]);
        while (pending.TryPop(out var project))
        {
            if (!needed.Add(project))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(project)!;
            foreach (Match m in ProjectReference().Matches(File.ReadAllText(Path.Combine(chart.RepoRoot, project))))
            {
                pending.Push(Path.GetRelativePath(chart.RepoRoot, Path.GetFullPath(Path.Combine(chart.RepoRoot, directory, m.Groups[1].Value))).Replace('\\', '/'));
            }
        }

        Assert.Empty(needed.Except(copied));
        Assert.DoesNotContain(needed, p => p.StartsWith("tests/", StringComparison.Ordinal));
    }

    /// <summary>The source paths of every COPY without --from (the last argument is the destination).</summary>
    private IEnumerable<string> CopySources()
    {
        foreach (var line in File.ReadLines(Path.Combine(chart.RepoRoot, "Dockerfile")))
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0] != "COPY" || parts.Any(p => p.StartsWith("--from", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var source in parts[1..^1].Where(p => !p.StartsWith("--", StringComparison.Ordinal)))
            {
                yield return source.TrimEnd('/');
            }
        }
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
