using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Patching;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy and test.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode document = target.DeepClone();
        foreach (var item in operations)
        {
            if (item is not JsonObject operation)
            {
                throw Invalid("each JSON patch operation must be an object");
            }

            var op = JsonNodes.GetString(operation, "op") ?? throw Invalid("missing \"op\"");
            var path = JsonNodes.GetString(operation, "path") ?? throw Invalid("missing \"path\"");
            switch (op)
            {
                case "add":
                    document = Add(document, path, RequireValue(operation));
                    break;
                case "remove":
                    document = Remove(document, path, out _);
                    break;
                case "replace":
                    _ = Get(document, path) ?? throw Invalid($"replace operation does not apply: doc is missing key: {path}");
                    document = Remove(document, path, out _);
                    document = Add(document, path, RequireValue(operation));
                    break;
                case "move":
                    {
                        var from = JsonNodes.GetString(operation, "from") ?? throw Invalid("missing \"from\"");
                        document = Remove(document, from, out var moved);
                        document = Add(document, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = JsonNodes.GetString(operation, "from") ?? throw Invalid("missing \"from\"");
                        var copied = Get(document, from) ?? throw Invalid($"copy operation does not apply: doc is missing from path: {from}");
                        document = Add(document, path, copied.DeepClone());
                        break;
                    }

                case "test":
                    {
                        var actual = Get(document, path);
                        if (!JsonNode.DeepEquals(actual, operation["value"]))
                        {
                            throw Invalid($"testing value {path} failed: test failed");
                        }

                        break;
                    }

                default:
                    throw Invalid($"Unexpected kind: {op}");
            }
        }

        return document as JsonObject ?? throw Invalid("a JSON patch must leave an object");
    }

    private static JsonNode? RequireValue(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw Invalid("missing \"value\"");

    private static List<string> Split(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Invalid($"invalid JSON pointer \"{path}\"");
        }

        return path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Get(JsonNode document, string path) => Get(document, Split(path));

    private static JsonNode? Get(JsonNode document, IEnumerable<string> tokens)
    {
        JsonNode? current = document;
        foreach (var token in tokens)
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(token, out var child) ? child : null,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        var tokens = Split(path);
        if (tokens.Count == 0)
        {
            return value ?? throw Invalid("cannot replace the document with null");
        }

        var parent = Get(document, tokens.Take(tokens.Count - 1))
            ?? throw Invalid($"add operation does not apply: doc is missing path: \"{path}\"");
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw Invalid($"add operation does not apply: doc is missing path: \"{path}\"");
        }

        return document;
    }

    private static JsonNode Remove(JsonNode document, string path, out JsonNode? removed)
    {
        var tokens = Split(path);
        if (tokens.Count == 0)
        {
            throw Invalid("cannot remove the whole document");
        }

        var parent = Get(document, tokens.Take(tokens.Count - 1));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out removed):
                obj.Remove(last);
                return document;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                removed = array[index];
                array.RemoveAt(index);
                return document;
            default:
                throw Invalid($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static KubeApiException Invalid(string message) => new(422, "Invalid", message);
}
