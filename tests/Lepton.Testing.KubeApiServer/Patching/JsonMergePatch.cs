using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Patching;

/// <summary>
/// RFC 7386 JSON merge patch, plus the strategic-merge variant used for built-in types: the same merge,
/// with <c>$patch: replace|delete</c> honoured and other <c>$</c> directives dropped. Lists are replaced
/// (no merge-by-key).
/// </summary>
internal static class JsonMergePatch
{
    public static JsonObject Apply(JsonObject target, JsonObject patch, bool strategic = false) =>
        ApplyNode(target, patch, strategic) as JsonObject ?? new JsonObject();

    private static JsonNode? ApplyNode(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (strategic && patchObject["$patch"] is JsonValue directive)
        {
            switch (directive.ToString())
            {
                case "delete":
                    return null;
                case "replace":
                    return StripDirectives(patchObject);
            }
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            var merged = ApplyNode(existing, value, strategic);
            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }

        return result;
    }

    private static JsonObject StripDirectives(JsonObject node)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in node)
        {
            if (!key.StartsWith('$'))
            {
                copy[key] = value is JsonObject child ? StripDirectives(child) : value?.DeepClone();
            }
        }

        return copy;
    }
}
