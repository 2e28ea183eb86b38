using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Json;

/// <summary>Accessors for the <c>metadata</c> of a schemaless Kubernetes object.</summary>
internal static class ObjectMeta
{
    public static JsonObject Of(JsonObject obj) => JsonNodes.EnsureObject(obj, "metadata");

    public static string Name(JsonObject obj) => JsonNodes.GetString(JsonNodes.GetObject(obj, "metadata"), "name") ?? "";

    public static string Namespace(JsonObject obj) => JsonNodes.GetString(JsonNodes.GetObject(obj, "metadata"), "namespace") ?? "";

    public static string? Uid(JsonObject obj) => JsonNodes.GetString(JsonNodes.GetObject(obj, "metadata"), "uid");

    public static string? ResourceVersion(JsonObject obj) => JsonNodes.GetString(JsonNodes.GetObject(obj, "metadata"), "resourceVersion");

    public static long Generation(JsonObject obj) => JsonNodes.GetInt64(JsonNodes.GetObject(obj, "metadata"), "generation") ?? 0;

    public static bool IsDeleting(JsonObject obj) =>
        JsonNodes.GetObject(obj, "metadata")?["deletionTimestamp"] is JsonValue;

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        JsonNodes.StringList(JsonNodes.GetArray(JsonNodes.GetObject(obj, "metadata"), "finalizers"));

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        var meta = Of(obj);
        if (list.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = JsonNodes.ToArray(list);
        }
    }

    public static JsonObject? Labels(JsonObject obj) => JsonNodes.GetObject(JsonNodes.GetObject(obj, "metadata"), "labels");

    /// <summary>The owner UIDs in <c>metadata.ownerReferences</c>.</summary>
    public static IReadOnlyList<string> OwnerUids(JsonObject obj)
    {
        var refs = JsonNodes.GetArray(JsonNodes.GetObject(obj, "metadata"), "ownerReferences");
        if (refs is null)
        {
            return [];
        }

        var uids = new List<string>(refs.Count);
        foreach (var item in refs)
        {
            if (JsonNodes.GetString(item as JsonObject, "uid") is { Length: > 0 } uid)
            {
                uids.Add(uid);
            }
        }

        return uids;
    }

    public static void RemoveOwner(JsonObject obj, string ownerUid)
    {
        var meta = Of(obj);
        if (meta["ownerReferences"] is not JsonArray refs)
        {
            return;
        }

        var kept = new JsonArray();
        foreach (var item in refs)
        {
            if (JsonNodes.GetString(item as JsonObject, "uid") != ownerUid && item is not null)
            {
                kept.Add(item.DeepClone());
            }
        }

        if (kept.Count == 0)
        {
            meta.Remove("ownerReferences");
        }
        else
        {
            meta["ownerReferences"] = kept;
        }
    }
}
