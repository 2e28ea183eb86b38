using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>Reads YAML manifests (the CRD, the examples) into the JSON objects the API test server takes.</summary>
public static partial class YamlObjects
{
    public static IReadOnlyList<JsonObject> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    public static JsonObject Parse(string yaml) => ParseAll(yaml).Single();

    public static JsonObject ReadFile(params string[] path) => Parse(File.ReadAllText(Crds.RepoPaths.Combine(path)));

    public static JsonObject LeptonJobCrd() => ReadFile("crds", "leptonjobs.lepton.ai.yaml");

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "null" or "~" or "")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^-?[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
