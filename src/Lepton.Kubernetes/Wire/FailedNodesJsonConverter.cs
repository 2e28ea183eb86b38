using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Reads and writes a filter answer's node name → reason map as a JSON object; a
/// <see cref="FailedNodeMap"/> writes its reasons without building strings.
/// </summary>
internal sealed class FailedNodesJsonConverter : JsonConverter<IDictionary<string, string>>
{
    public override IDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A failed-nodes map must be a JSON object of strings.");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"The reason of node '{key}' must be a string.");
            }

            result[key] = reader.GetString()!;
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, IDictionary<string, string> value, JsonSerializerOptions options)
    {
        if (value is FailedNodeMap map)
        {
            map.WriteTo(writer);
            return;
        }

        WritePairs(writer, value);
    }

    internal static void WritePairs(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        writer.WriteStartObject();
        foreach (var (key, reason) in pairs)
        {
            writer.WriteString(key, reason);
        }

        writer.WriteEndObject();
    }
}
