using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>Encodes <c>{"type":"ADDED","object":{...}}</c> lines for one resource version.</summary>
internal sealed class JsonWatchEncoder(ResourceDefinition definition) : IWatchEncoder
{
    public byte[] Encode(WatchEventType type, JsonObject obj)
    {
        if (type is WatchEventType.Error || HasApiVersion(obj, definition.ApiVersion))
        {
            return EncodeLine(type, obj);
        }

        // Conversion strategy "None": serving another version only rewrites apiVersion.
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = definition.ApiVersion;
        return EncodeLine(type, copy);
    }

    public byte[] EncodeBookmark(long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var bookmark = new JsonObject { ["kind"] = definition.Kind, ["apiVersion"] = definition.ApiVersion, ["metadata"] = metadata };
        return EncodeLine(WatchEventType.Bookmark, bookmark);
    }

    /// <summary>One newline-terminated watch event, the object written as is.</summary>
    public static byte[] EncodeLine(WatchEventType type, JsonObject obj)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type.ToWire());
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static bool HasApiVersion(JsonObject obj, string apiVersion) =>
        obj["apiVersion"] is JsonValue value && value.TryGetValue<string>(out var text) && text == apiVersion;
}
