using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>
/// Canonicalises stored JSON the way the real server's decoding does, so that a client writing back what
/// it read, in its own format, does not change the object: null-valued properties are dropped (typed
/// decoding turns them into zero values), and timestamps of built-in types are re-rendered, <c>metav1.Time</c>
/// to whole seconds and <c>metav1.MicroTime</c> to microseconds. Custom resources are schemaless upstream
/// too, so only their metadata timestamps are re-rendered.
/// </summary>
internal static class JsonCanonicalizer
{
    /// <summary>Removes every property whose value is JSON null, at any depth (array elements are kept).</summary>
    public static void DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToArray())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    DropNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropNulls(item);
                }

                break;
        }
    }

    private static readonly HashSet<string> TimeFields =
    [
        "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime", "lastHeartbeatTime", "lastUpdateTime",
        "startTime", "startedAt", "finishedAt", "firstTimestamp", "lastTimestamp", "lastScheduleTime", "lastSuccessfulTime",
        "completionTime", "expirationTimestamp",
    ];

    private static readonly HashSet<string> MicroTimeFields = ["acquireTime", "renewTime", "eventTime", "lastObservedTime"];

    public static void NormalizeTimestamps(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    var value = obj[key];
                    var micro = MicroTimeFields.Contains(key);
                    if ((micro || TimeFields.Contains(key)) && value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                    {
                        if (KubeTime.TryParse(text.GetValue<string>(), out var time))
                        {
                            obj[key] = micro ? KubeTime.FormatMicro(time) : KubeTime.Format(time);
                        }
                    }
                    else
                    {
                        NormalizeTimestamps(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    NormalizeTimestamps(item);
                }

                break;
        }
    }
}
