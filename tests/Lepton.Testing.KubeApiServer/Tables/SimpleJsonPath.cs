using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c>, <c>.a['x.y']</c>,
/// escaped dots (<c>.labels.app\.kubernetes\.io/name</c>) and equality filters
/// (<c>.conditions[?(@.type=="Ready")].status</c>). Optional surrounding braces are accepted.
/// </summary>
internal sealed class SimpleJsonPath
{
    private readonly IReadOnlyList<Step> _steps;

    private SimpleJsonPath(IReadOnlyList<Step> steps)
    {
        _steps = steps;
    }

    public static SimpleJsonPath Parse(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1].Trim();
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var steps = new List<Step>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                var name = new StringBuilder();
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    name.Append(text[i]);
                    i++;
                }

                if (name.Length > 0)
                {
                    steps.Add(new Step(StepKind.Property, name.ToString()));
                }
            }
            else if (text[i] == '[')
            {
                var close = FindClose(text, i);
                var inner = text[(i + 1)..close].Trim();
                steps.Add(ParseBracket(inner));
                i = close + 1;
            }
            else
            {
                throw new FormatException($"unexpected '{text[i]}' in JSONPath \"{expression}\"");
            }
        }

        return new SimpleJsonPath(steps);
    }

    /// <summary>Every value the path selects, in document order.</summary>
    public IReadOnlyList<JsonNode> Evaluate(JsonNode root)
    {
        IEnumerable<JsonNode> current = [root];
        foreach (var step in _steps)
        {
            current = current.SelectMany(node => Apply(step, node)).ToArray();
        }

        return current.ToArray();
    }

    private static IEnumerable<JsonNode> Apply(Step step, JsonNode node)
    {
        switch (step.Kind)
        {
            case StepKind.Property when node is JsonObject obj && obj[step.Name] is { } child:
                yield return child;
                break;
            case StepKind.Index when node is JsonArray array:
                var index = step.Index < 0 ? array.Count + step.Index : step.Index;
                if (index >= 0 && index < array.Count && array[index] is { } item)
                {
                    yield return item;
                }

                break;
            case StepKind.Wildcard when node is JsonArray array:
                foreach (var element in array.OfType<JsonNode>())
                {
                    yield return element;
                }

                break;
            case StepKind.Wildcard when node is JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    if (value is not null)
                    {
                        yield return value;
                    }
                }

                break;
            case StepKind.Filter when node is JsonArray array:
                foreach (var element in array.OfType<JsonObject>())
                {
                    var actual = step.FilterPath!.Evaluate(element).Select(JsonNodes.ScalarText).FirstOrDefault();
                    if ((actual == step.FilterValue) == step.FilterEquals)
                    {
                        yield return element;
                    }
                }

                break;
        }
    }

    private static int FindClose(string text, int open)
    {
        var quote = '\0';
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw new FormatException("unclosed '[' in JSONPath");
    }

    private static Step ParseBracket(string inner)
    {
        if (inner == "*")
        {
            return new Step(StepKind.Wildcard, "");
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return new Step(StepKind.Property, inner[1..^1]);
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return new Step(StepKind.Index, "", index);
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var condition = inner[2..^1].Trim();
            var notEqual = condition.IndexOf("!=", StringComparison.Ordinal);
            var equal = condition.IndexOf("==", StringComparison.Ordinal);
            var at = notEqual >= 0 ? notEqual : equal;
            if (at < 0 || !condition.StartsWith('@'))
            {
                throw new FormatException($"unsupported JSONPath filter \"{inner}\"");
            }

            var path = Parse(condition[1..at].Trim());
            var value = condition[(at + 2)..].Trim().Trim('"', '\'');
            return new Step(StepKind.Filter, "", 0, path, value, notEqual < 0);
        }

        throw new FormatException($"unsupported JSONPath subscript \"[{inner}]\"");
    }

    private enum StepKind
    {
        Property,
        Index,
        Wildcard,
        Filter,
    }

    private sealed record Step(StepKind Kind, string Name, int Index = 0, SimpleJsonPath? FilterPath = null, string? FilterValue = null, bool FilterEquals = true);
}
