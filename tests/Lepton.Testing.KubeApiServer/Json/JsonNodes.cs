using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Json;

/// <summary>Small, allocation-light helpers over <see cref="JsonNode"/> trees.</summary>
internal static class JsonNodes
{
    public static readonly JsonSerializerOptions CompactOptions = new() { WriteIndented = false };

    public static JsonObject? GetObject(JsonObject? node, string key) => node?[key] as JsonObject;

    public static JsonArray? GetArray(JsonObject? node, string key) => node?[key] as JsonArray;

    public static string? GetString(JsonObject? node, string key) =>
        node?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads a nested value by dotted segments and renders scalars as strings (the field-selector view).</summary>
    public static string? GetScalarText(JsonObject root, IReadOnlyList<string> path)
    {
        JsonNode? current = root;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return ScalarText(current);
    }

    public static string? ScalarText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.True => "true",
        JsonValue value when value.GetValueKind() == JsonValueKind.False => "false",
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static bool? GetBool(JsonObject? node, string key) =>
        node?[key] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValueKind() == JsonValueKind.True
            : null;

    public static long? GetInt64(JsonObject? node, string key)
    {
        if (node?[key] is not JsonValue value)
        {
            return null;
        }

        // Values built in code keep their CLR type (int, long, double...); parsed ones are JsonElements.
        // The JSON text is the one representation every number shares.
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? (long)number : null;
    }

    public static JsonObject EnsureObject(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    public static JsonObject Clone(JsonObject node) => (JsonObject)node.DeepClone();

    /// <summary>Returns a copy of <paramref name="node"/> without the listed top-level keys.</summary>
    public static JsonObject Without(JsonObject node, params string[] keys)
    {
        var copy = Clone(node);
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    public static byte[] ToUtf8Bytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, CompactOptions);

    public static JsonArray ToArray(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    public static IReadOnlyList<string> StringList(JsonArray? array)
    {
        if (array is null)
        {
            return [];
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (ScalarText(item) is { } text)
            {
                list.Add(text);
            }
        }

        return list;
    }
}
