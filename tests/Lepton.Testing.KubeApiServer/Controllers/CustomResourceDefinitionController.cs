using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Storage.Strategies;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// Serves what CRDs define: registers their versions, reports <c>NamesAccepted</c>/<c>Established</c>,
/// and on deletion removes every instance before the CRD itself goes.
/// </summary>
internal sealed class CustomResourceDefinitionController(ObjectStore store) : IStoreController
{
    public void OnCommitted(StoreEvent change)
    {
        if (change.Resource == WellKnown.CustomResourceDefinitions)
        {
            var resource = CustomResourceDefinitionReader.GroupResourceOf(change.Object);
            if (change.Type == WatchEventType.Deleted)
            {
                store.Registry.Remove(resource);
                return;
            }

            if (store.FindCore(WellKnown.CustomResourceDefinitions, "", ObjectMeta.Name(change.Object)) is not { } crd)
            {
                return;
            }

            if (!ObjectMeta.IsDeleting(crd))
            {
                store.Registry.Replace(resource, CustomResourceDefinitionReader.ReadServedVersions(crd));
                store.MutateCore(WellKnown.CustomResourceDefinitions, crd, o => o["status"] = BuildStatus(o, terminating: false));
                return;
            }

            crd = store.MutateCore(WellKnown.CustomResourceDefinitions, crd, o => o["status"] = BuildStatus(o, terminating: true));
            foreach (var instance in store.ItemsCore(resource))
            {
                if (!ObjectMeta.IsDeleting(instance))
                {
                    store.DeleteCore(resource, instance, DeleteRequest.Background);
                }
            }

            TryFinishCleanup(resource);
            return;
        }

        if (change.Type == WatchEventType.Deleted && store.Registry.FindPreferred(change.Resource) is { IsCustomResource: true })
        {
            TryFinishCleanup(change.Resource);
        }
    }

    private void TryFinishCleanup(GroupResource resource)
    {
        if (store.FindCore(WellKnown.CustomResourceDefinitions, "", resource.ToString()) is not { } crd
            || !ObjectMeta.IsDeleting(crd)
            || store.ItemsCore(resource).Any())
        {
            return;
        }

        store.MutateCore(WellKnown.CustomResourceDefinitions, crd, o =>
            ObjectMeta.SetFinalizers(o, ObjectMeta.Finalizers(o).Where(f => f != CustomResourceDefinitionStrategy.CleanupFinalizer)));
    }

    private JsonObject BuildStatus(JsonObject crd, bool terminating)
    {
        var spec = JsonNodes.GetObject(crd, "spec")!;
        var names = (JsonObject)(JsonNodes.GetObject(spec, "names")?.DeepClone() ?? new JsonObject());
        var kind = JsonNodes.GetString(names, "kind") ?? "";
        names["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        var previous = JsonNodes.GetArray(JsonNodes.GetObject(crd, "status"), "conditions");
        var conditions = new JsonArray(
            Condition(previous, "NamesAccepted", "True", "NoConflicts", "no conflicts found"),
            Condition(previous, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted"));
        if (terminating)
        {
            conditions.Add(Condition(previous, "Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress"));
        }

        var stored = JsonNodes.StringList(JsonNodes.GetArray(JsonNodes.GetObject(crd, "status"), "storedVersions")).ToList();
        foreach (var version in JsonNodes.GetArray(spec, "versions")?.OfType<JsonObject>() ?? [])
        {
            if (JsonNodes.GetBool(version, "storage") == true && JsonNodes.GetString(version, "name") is { } name && !stored.Contains(name))
            {
                stored.Add(name);
            }
        }

        return new JsonObject { ["conditions"] = conditions, ["acceptedNames"] = names, ["storedVersions"] = JsonNodes.ToArray(stored) };
    }

    private JsonObject Condition(JsonArray? previous, string type, string status, string reason, string message)
    {
        var old = previous?.OfType<JsonObject>().FirstOrDefault(c => JsonNodes.GetString(c, "type") == type);
        var since = old is not null && JsonNodes.GetString(old, "status") == status
            ? JsonNodes.GetString(old, "lastTransitionTime") ?? KubeTime.Format(store.Now)
            : KubeTime.Format(store.Now);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastTransitionTime"] = since,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
