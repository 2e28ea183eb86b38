using System.Globalization;
using System.Text.RegularExpressions;

namespace Lepton.Cli.Serve;

/// <summary>Parses durations as Kubernetes flags write them (Go's <c>15s</c>, <c>500ms</c>, <c>1m30s</c>) or as .NET <c>00:00:15</c>.</summary>
internal static partial class Durations
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The flag value.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when <paramref name="text"/> is neither form or is not positive.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
        }

        var parts = GoDuration().Matches(text);
        if (parts.Count == 0 || parts.Sum(m => m.Length) != text.Length)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            if (!double.TryParse(part.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            value += part.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }

        return value > TimeSpan.Zero;
    }

    [GeneratedRegex(@"(?<n>[0-9]+(\.[0-9]+)?)(?<u>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();
}
