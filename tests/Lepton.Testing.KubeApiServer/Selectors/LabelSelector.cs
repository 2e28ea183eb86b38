using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Selectors;

/// <summary>
/// A label selector: the string form of <c>?labelSelector=</c> (equality and set-based) or the structured
/// <c>metav1.LabelSelector</c> (matchLabels and matchExpressions) of PDBs and workloads.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly IReadOnlyList<LabelRequirement> _requirements;
    private readonly bool _matchesNothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        _requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    public static LabelSelector Everything { get; } = new([], false);

    public static LabelSelector Nothing { get; } = new([], true);

    public bool IsEverything => !_matchesNothing && _requirements.Count == 0;

    /// <summary>Parses the string form; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements, false);
    }

    /// <summary>
    /// Converts a structured <c>metav1.LabelSelector</c>. A null selector matches nothing and an empty one
    /// matches everything (policy/v1 semantics).
    /// </summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(new LabelRequirement(key, LabelOperator.Equals, [JsonNodes.ScalarText(value) ?? ""]));
            }
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = JsonNodes.GetString(expression, "key") ?? throw new FormatException("matchExpressions entry without key");
                var values = JsonNodes.StringList(JsonNodes.GetArray(expression, "values"));
                var op = JsonNodes.GetString(expression, "operator") switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    var other => throw new FormatException($"\"{other}\" is not a valid label selector operator"),
                };
                requirements.Add(new LabelRequirement(key, op, values));
            }
        }

        return new LabelSelector(requirements, false);
    }

    public bool Matches(JsonObject? labels) => !_matchesNothing && _requirements.All(r => r.Matches(labels));

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static LabelRequirement ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            throw new FormatException("found '', expected: identifier");
        }

        var set = SetPattern().Match(part);
        if (set.Success)
        {
            var values = set.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var op = set.Groups[2].Value == "in" ? LabelOperator.In : LabelOperator.NotIn;
            return new LabelRequirement(ValidKey(set.Groups[1].Value), op, values);
        }

        if (part[0] == '!')
        {
            return new LabelRequirement(ValidKey(part[1..].Trim()), LabelOperator.DoesNotExist, []);
        }

        foreach (var (token, op) in Operators)
        {
            var index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = ValidKey(part[..index].Trim());
                var value = part[(index + token.Length)..].Trim();
                return new LabelRequirement(key, op, [value]);
            }
        }

        return new LabelRequirement(ValidKey(part), LabelOperator.Exists, []);
    }

    private static readonly (string Token, LabelOperator Operator)[] Operators =
    [
        ("!=", LabelOperator.NotEquals),
        ("==", LabelOperator.Equals),
        ("=", LabelOperator.Equals),
        (">", LabelOperator.GreaterThan),
        ("<", LabelOperator.LessThan),
    ];

    private static string ValidKey(string key) =>
        KeyPattern().IsMatch(key) ? key : throw new FormatException($"invalid label key \"{key}\"");

    [GeneratedRegex(@"^\s*(\S+)\s+(in|notin)\s*\((.*)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
