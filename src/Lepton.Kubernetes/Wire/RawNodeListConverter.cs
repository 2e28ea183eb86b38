using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Reads and writes <see cref="RawNodeList"/> with each item's raw UTF-8 bytes. More than
/// <c>maxItems</c> items are refused as they are read (<see cref="RequestLimitExceededException"/>).
/// </summary>
/// <param name="maxItems">The most Node objects a list may hold.</param>
internal sealed class RawNodeListConverter(int maxItems) : JsonConverter<RawNodeList>
{
    /// <summary>Creates a converter without a limit (the type's own converter).</summary>
    public RawNodeListConverter()
        : this(int.MaxValue)
    {
    }

    public override RawNodeList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Nodes: expected a NodeList object or null");
        }

        // Item by item: each Node is kept as its own small element, so a 5,000-node list never
        // becomes one large-object-heap copy per request.
        JsonElement? metadata = null;
        var items = new List<JsonElement>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isItems = reader.ValueTextEquals("items"u8) || string.Equals(reader.GetString(), "items", StringComparison.OrdinalIgnoreCase);
            var isMetadata = !isItems && (reader.ValueTextEquals("metadata"u8) || string.Equals(reader.GetString(), "metadata", StringComparison.OrdinalIgnoreCase));
            reader.Read();
            if (isMetadata)
            {
                metadata = JsonElement.ParseValue(ref reader);
            }
            else if (isItems)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("Nodes.items: expected an array of Node objects");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"Nodes.items[{items.Count}]: expected a Node object");
                    }

                    if (items.Count == maxItems)
                    {
                        throw RequestLimitExceededException.For("Nodes.items", maxItems, "nodes");
                    }

                    items.Add(JsonElement.ParseValue(ref reader));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new RawNodeList(items, metadata);
    }

    public override void Write(Utf8JsonWriter writer, RawNodeList value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("metadata"u8);
        if (value.Metadata is { ValueKind: JsonValueKind.Object } metadata)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(metadata), skipInputValidation: true);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WritePropertyName("items"u8);
        writer.WriteStartArray();
        foreach (var item in value.Items)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(item), skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
