using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// Which old list item an updated item corresponds to, as kube-apiserver correlates them for ratcheting
/// and <c>oldSelf</c>: by key in <c>x-kubernetes-list-type: map</c> lists, by value in sets; items of
/// atomic lists have no old counterpart.
/// </summary>
internal static class ListCorrelation
{
    public static JsonNode? OldItem(StructuralSchema list, JsonNode? item, JsonArray? old)
    {
        if (old is null)
        {
            return null;
        }

        return list.ListType switch
        {
            "map" => old.FirstOrDefault(o => JsonNode.DeepEquals(MapKey(list, o), MapKey(list, item))),
            "set" => old.FirstOrDefault(o => JsonNode.DeepEquals(o, item)),
            _ => null,
        };
    }

    /// <summary>The values of the <c>x-kubernetes-list-map-keys</c> of a map-list item, as one object.</summary>
    public static JsonObject MapKey(StructuralSchema list, JsonNode? item)
    {
        var key = new JsonObject();
        foreach (var name in list.ListMapKeys)
        {
            key[name] = (item as JsonObject)?[name]?.DeepClone();
        }

        return key;
    }
}
