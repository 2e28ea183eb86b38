using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lepton.Extender.Http;

/// <summary>
/// Says what is wrong with a request body in the protocol's words: the JSON field and the type it
/// should have (<c>NodeNames: expected an array of strings</c>), never a .NET type name
/// (<c>System.Collections.Generic.IList`1[System.String]</c>), and at most <see cref="MaxLength"/>
/// characters on one line.
/// </summary>
public static partial class JsonErrorText
{
    /// <summary>The longest reason written into a 400 answer or a log line.</summary>
    public const int MaxLength = 400;

    /// <summary>A one-line reason for a <see cref="JsonException"/> raised while reading a request.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The reason.</returns>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = OneLine(exception.Message);
        message = message.Length <= 2048 ? message : message[..2048];
        var field = Field(exception.Path);
        var conversion = ConversionPattern().Match(message);
        if (conversion.Success)
        {
            return Bound($"{field}: expected {Expected(conversion.Groups["type"].Value)}");
        }

        // Drop System.Text.Json's " Path: $.x | LineNumber: 0 | BytePositionInLine: 12." suffix and say it in our words.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = cut < 0 ? message : message[..cut];
        if (DotNetTypePattern().IsMatch(text))
        {
            text = "invalid value";
        }

        var at = exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $" (line {exception.LineNumber + 1}, byte {position})")
            : string.Empty;
        var prefix = text.StartsWith(field, StringComparison.Ordinal) || text.Contains(": expected ", StringComparison.Ordinal) ? string.Empty : field + ": ";
        return Bound("invalid request JSON: " + prefix + text.TrimEnd('.') + at);
    }

    /// <summary>Cuts <paramref name="text"/> to its first line and at most <see cref="MaxLength"/> characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The bounded text.</returns>
    public static string Bound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = OneLine(text);
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
    }

    private static string OneLine(string text)
    {
        var i = text.AsSpan().IndexOfAny('\r', '\n');
        return i < 0 ? text : text[..i];
    }

    private static string Field(string? path) => path switch
    {
        null or "" or "$" => "request body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    private static string Expected(string type)
    {
        // Generic arguments first: IList`1[System.String] is an array of strings.
        var open = type.IndexOf('[', StringComparison.Ordinal);
        var name = open < 0 ? type : type[..open];
        var argument = open < 0 ? string.Empty : type[(open + 1)..].TrimEnd(']');
        var simple = name[(name.LastIndexOf('.') + 1)..];
        if (simple.StartsWith("IList`", StringComparison.Ordinal) || simple.StartsWith("List`", StringComparison.Ordinal)
            || simple.StartsWith("IReadOnlyList`", StringComparison.Ordinal) || simple.StartsWith("IEnumerable`", StringComparison.Ordinal)
            || name.EndsWith("[]", StringComparison.Ordinal))
        {
            return argument.Length == 0 ? "an array" : "an array of " + Plural(Expected(argument));
        }

        if (simple.StartsWith("IDictionary`", StringComparison.Ordinal) || simple.StartsWith("Dictionary`", StringComparison.Ordinal))
        {
            return "an object (a map keyed by node name)";
        }

        return simple switch
        {
            "String" => "a string",
            "Int32" or "Int64" or "UInt32" or "UInt64" or "Int16" => "an integer",
            "Double" or "Single" or "Decimal" => "a number",
            "Boolean" => "true or false",
            "JsonElement" => "a JSON value",
            "Nullable`1" => Expected(argument),
            _ when simple.Length > 0 && char.IsAsciiLetterUpper(simple[0]) => $"a {simple} object",
            _ => "a different JSON type",
        };
    }

    private static string Plural(string expected) => expected switch
    {
        _ when expected.StartsWith("a ", StringComparison.Ordinal) => expected[2..] + "s",
        _ when expected.StartsWith("an ", StringComparison.Ordinal) => expected[3..] + "s",
        _ => expected,
    };

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ConversionPattern();

    [GeneratedRegex(@"System\.[A-Z]|Lepton\.|`\d", RegexOptions.CultureInvariant, 100)]
    private static partial Regex DotNetTypePattern();
}
