using System.Text.RegularExpressions;

namespace Lepton.Charts.Tests;

/// <summary>
/// Every log line Lepton writes carries an event id a platform team can alert or filter on (issue 12
/// item 4): each <c>[LoggerMessage]</c> in src/ names its id, and no two share one. Without an id
/// the source generator derives one from the method name's hash, which changes with a rename.
/// Ranges: 1xxx the extender, 2xxx-3xxx the operator, 4xxx the models, 9xxx <c>lepton serve</c>.
/// </summary>
public sealed partial class LogEventIdTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    [Fact]
    public void LoggerMessages_InSource_EachNamesAnEventIdAndNoneRepeats()
    {
        var missing = new List<string>();
        var seen = new Dictionary<int, string>();
        var duplicates = new List<string>();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(chart.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (Match m in Attribute().Matches(text))
            {
                count++;
                var where = $"{Path.GetRelativePath(chart.RepoRoot, file)}: {m.Value}";
                var id = m.Groups["named"].Success ? m.Groups["named"].Value : m.Groups["positional"].Value;
                if (id.Length == 0)
                {
                    missing.Add(where);
                }
                else if (!seen.TryAdd(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), where))
                {
                    duplicates.Add(where);
                }
            }
        }

        Assert.True(count > 50, $"found only {count} [LoggerMessage] attributes under src/");
        Assert.True(missing.Count == 0, "no EventId: " + string.Join("; ", missing));
        Assert.True(duplicates.Count == 0, "EventId used twice: " + string.Join("; ", duplicates));
    }

    [GeneratedRegex(@"\[LoggerMessage\((?:(?<positional>\d+)\s*,|[^\]]*?EventId\s*=\s*(?<named>\d+))?[^\]]{0,40}")]
    private static partial Regex Attribute();
}
