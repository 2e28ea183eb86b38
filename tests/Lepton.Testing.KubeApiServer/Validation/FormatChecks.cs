using System.Globalization;
using System.Text.RegularExpressions;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// The string formats kube-apiserver checks in custom resources that Lepton's CRDs use (go-openapi's
/// <c>strfmt</c> registry); formats not listed here are accepted, as unknown formats are upstream.
/// </summary>
internal static partial class FormatChecks
{
    public static bool IsValid(string format, string text) => format switch
    {
        "duration" => IsDuration(text),
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.Contains('T', StringComparison.OrdinalIgnoreCase),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "byte" => IsBase64(text),
        _ => true,
    };

    /// <summary>strfmt's duration: one or more number-unit pairs, units ns, us, µs, ms, s, m, h, d, w (or their long names).</summary>
    private static bool IsDuration(string text)
    {
        var match = Duration().Match(text);
        if (!match.Success)
        {
            return false;
        }

        return match.Groups["unit"].Captures.All(c => Units.Contains(c.Value));
    }

    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "ns", "us", "µs", "ms", "s", "m", "h", "d", "w",
        "nanosecond", "nanoseconds", "microsecond", "microseconds", "millisecond", "milliseconds",
        "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs",
        "day", "days", "week", "weeks", "wk", "wks",
    };

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex(@"^(?:(?:-\s?)?\d+(?:\.\d+)?\s*(?<unit>[A-Za-zµ]+))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
