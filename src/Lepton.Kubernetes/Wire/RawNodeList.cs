using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// A core/v1 NodeList whose items are kept as the raw JSON the request carried: written back as
/// <c>{"metadata":{…},"items":[…]}</c> byte for byte per item, never re-serialised through client
/// models (DECISIONS.md 5).
/// </summary>
[JsonConverter(typeof(RawNodeListConverter))]
public sealed class RawNodeList
{
    /// <summary>Creates a list.</summary>
    /// <param name="items">The Node objects, each as raw JSON.</param>
    /// <param name="metadata">The list metadata as raw JSON, or null for <c>{}</c>.</param>
    public RawNodeList(IReadOnlyList<JsonElement> items, JsonElement? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Metadata = metadata;
    }

    /// <summary>The list metadata (<c>{}</c> when null).</summary>
    public JsonElement? Metadata { get; }

    /// <summary>The Node objects, each exactly as received.</summary>
    public IReadOnlyList<JsonElement> Items { get; }
}
