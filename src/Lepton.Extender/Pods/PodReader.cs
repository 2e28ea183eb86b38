using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes;
using Lepton.Scheduling.Inventory;

namespace Lepton.Extender.Pods;

/// <summary>
/// Turns the Pod embedded in a request into its <see cref="PodDemand"/>, once per pod version:
/// a pod whose UID, <c>resourceVersion</c> and JSON bytes were seen before (filter, then
/// prioritize, of the same cycle) is taken from the <see cref="PendingPodCache"/> without parsing
/// it again.
/// </summary>
/// <param name="mapper">Maps core/v1 Pods.</param>
/// <param name="cache">The parse cache.</param>
public sealed partial class PodReader(KubeObjectMapper mapper, PendingPodCache cache)
{
    /// <summary>Reads a request's pod.</summary>
    /// <param name="pod">The Pod JSON.</param>
    /// <returns>The pod's demand.</returns>
    /// <exception cref="ExtenderRequestException">The pod is missing or not a core/v1 Pod (HTTP 400).</exception>
    /// <exception cref="KubeObjectException">The pod is well-formed JSON but Lepton cannot map it (a bad annotation or quantity).</exception>
    public PodDemand Read(JsonElement? pod)
    {
        if (pod is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            throw new ExtenderRequestException("Pod: expected a core/v1 Pod object, not missing or null");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ExtenderRequestException($"Pod: expected a core/v1 Pod object, not {JsonKind(element.ValueKind)}");
        }

        var uid = MetadataString(element, "uid"u8);
        var resourceVersion = MetadataString(element, "resourceVersion"u8);
        var json = JsonMarshal.GetRawUtf8Value(element);
        if (!string.IsNullOrEmpty(uid) && !string.IsNullOrEmpty(resourceVersion) && cache.TryGet(uid, resourceVersion, json, out var known))
        {
            return known;
        }

        PodDemand demand;
        try
        {
            // Read in place: the pod is never deserialised into a V1Pod (KubeObjectMapper.ToDemand(JsonElement)).
            demand = mapper.ToDemand(element);
        }
        catch (JsonException e)
        {
            throw new ExtenderRequestException(ProtocolWords(OneLine(e.Message)), e);
        }

        cache.Remember(demand, string.IsNullOrEmpty(resourceVersion) ? null : resourceVersion, json);
        return demand;
    }

    /// <summary>The UID of a pod as JSON (<c>metadata.uid</c>), or null.</summary>
    /// <param name="pod">The Pod JSON.</param>
    /// <returns>The UID.</returns>
    public static string? UidOf(JsonElement pod) => MetadataString(pod, "uid"u8);

    private static string? MetadataString(JsonElement pod, ReadOnlySpan<byte> key)
    {
        if (pod.ValueKind == JsonValueKind.Object
            && pod.TryGetProperty("metadata"u8, out var meta)
            && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty(key, out var value)
            && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        return null;
    }

    /// <summary>The mapper's <c>spec.nodeName must be a string, not Number</c> as <c>Pod.spec.nodeName: expected a string, not a number</c>.</summary>
    private static string ProtocolWords(string message)
    {
        var match = MapperMessage().Match(message);
        if (!match.Success)
        {
            return "Pod is not a valid core/v1 Pod: " + message;
        }

        var not = match.Groups["kind"].Success && Enum.TryParse<JsonValueKind>(match.Groups["kind"].Value, out var kind)
            ? ", not " + JsonKind(kind)
            : string.Empty;
        return $"Pod.{match.Groups["field"].Value}: expected {match.Groups["type"].Value}{not}";
    }

    [GeneratedRegex(@"^(?<field>[A-Za-z][^ ]*) must be (?<type>.+?)(, not (?<kind>[A-Za-z]+))?\.?$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex MapperMessage();

    private static string JsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string OneLine(string text)
    {
        var i = text.AsSpan().IndexOfAny('\r', '\n');
        return i < 0 ? text : text[..i];
    }
}
