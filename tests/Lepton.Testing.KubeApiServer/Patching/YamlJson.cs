using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lepton.Testing.KubeApiServer.Patching;

/// <summary>Converts YAML (1.2 core schema scalars) into JSON nodes, the way kubectl and the API server read manifests.</summary>
internal static partial class YamlJson
{
    /// <summary>Every non-empty document of a (possibly multi-document) YAML text.</summary>
    public static IReadOnlyList<JsonNode> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException("invalid YAML: " + e.Message, e);
        }

        return stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonNode>().ToArray();
    }

    public static JsonObject ParseObject(string yaml)
    {
        var documents = ParseDocuments(yaml);
        return documents.Count == 1 && documents[0] is JsonObject obj
            ? obj
            : throw new FormatException("expected exactly one YAML document holding an object");
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                {
                    var obj = new JsonObject();
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new FormatException("only scalar mapping keys are supported");
                        obj[name] = Convert(value);
                    }

                    return obj;
                }

            case YamlSequenceNode sequence:
                {
                    var array = new JsonArray();
                    foreach (var child in sequence.Children)
                    {
                        array.Add(Convert(child));
                    }

                    return array;
                }

            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new FormatException("unsupported YAML node " + node.NodeType);
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
