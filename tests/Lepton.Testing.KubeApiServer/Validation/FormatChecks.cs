using System.Globalization;
using System.Text.RegularExpressions;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// The string formats kube-apiserver checks in custom resources that Lepton's CRDs use (go-openapi's
/// <c>strfmt</c> registry); formats not listed here are accepted, as unknown formats are upstream.
/// </summary>
internal static partial class FormatChecks
{
    private static readonly Dictionary<string, long> TicksPerUnit = new(StringComparer.Ordinal)
    {
        ["ns"] = 0,
        ["nanosecond"] = 0,
        ["nanoseconds"] = 0,
        ["us"] = 10,
        ["µs"] = 10,
        ["microsecond"] = 10,
        ["microseconds"] = 10,
        ["ms"] = TimeSpan.TicksPerMillisecond,
        ["millisecond"] = TimeSpan.TicksPerMillisecond,
        ["milliseconds"] = TimeSpan.TicksPerMillisecond,
        ["s"] = TimeSpan.TicksPerSecond,
        ["sec"] = TimeSpan.TicksPerSecond,
        ["secs"] = TimeSpan.TicksPerSecond,
        ["second"] = TimeSpan.TicksPerSecond,
        ["seconds"] = TimeSpan.TicksPerSecond,
        ["m"] = TimeSpan.TicksPerMinute,
        ["min"] = TimeSpan.TicksPerMinute,
        ["mins"] = TimeSpan.TicksPerMinute,
        ["minute"] = TimeSpan.TicksPerMinute,
        ["minutes"] = TimeSpan.TicksPerMinute,
        ["h"] = TimeSpan.TicksPerHour,
        ["hr"] = TimeSpan.TicksPerHour,
        ["hrs"] = TimeSpan.TicksPerHour,
        ["hour"] = TimeSpan.TicksPerHour,
        ["hours"] = TimeSpan.TicksPerHour,
        ["d"] = TimeSpan.TicksPerDay,
        ["day"] = TimeSpan.TicksPerDay,
        ["days"] = TimeSpan.TicksPerDay,
        ["w"] = 7 * TimeSpan.TicksPerDay,
        ["wk"] = 7 * TimeSpan.TicksPerDay,
        ["wks"] = 7 * TimeSpan.TicksPerDay,
        ["week"] = 7 * TimeSpan.TicksPerDay,
        ["weeks"] = 7 * TimeSpan.TicksPerDay,
    };

    public static bool IsValid(string format, string text) => format switch
    {
        "duration" => TryParseDuration(text, out _),
        "date-time" => TryParseDateTime(text, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "byte" => IsBase64(text),
        _ => true,
    };

    /// <summary>strfmt's <c>ParseDuration</c>: number-unit pairs such as <c>1h30m</c>, <c>1.5h</c> or <c>2 hours</c> (nanoseconds are rounded down to ticks).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Duration().Match(text);
        if (!match.Success)
        {
            return false;
        }

        decimal ticks = 0;
        for (var i = 0; i < match.Groups["number"].Captures.Count; i++)
        {
            if (!TicksPerUnit.TryGetValue(match.Groups["unit"].Captures[i].Value, out var perUnit))
            {
                return false;
            }

            var number = decimal.Parse(match.Groups["number"].Captures[i].Value.Replace(" ", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
            ticks += number * (perUnit == 0 ? 0.01m : perUnit);
        }

        duration = TimeSpan.FromTicks((long)decimal.Truncate(ticks));
        return true;
    }

    /// <summary>RFC 3339 date-time, as strfmt accepts it.</summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value) && text.Contains('T', StringComparison.OrdinalIgnoreCase);

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex(@"^(?:(?<number>(?:-\s?)?\d+(?:\.\d+)?)\s*(?<unit>[A-Za-zµ]+))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
