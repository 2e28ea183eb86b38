using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Storage.Strategies;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// Namespace lifecycle: a terminating namespace has its content deleted and disappears once empty
/// (its <c>kubernetes</c> spec finalizer is then removed).
/// </summary>
internal sealed class NamespaceController(ObjectStore store) : IStoreController
{
    public void OnCommitted(StoreEvent change)
    {
        if (change.Resource == WellKnown.Namespaces)
        {
            if (change.Type != WatchEventType.Deleted && ObjectMeta.IsDeleting(change.Object))
            {
                var ns = ObjectMeta.Name(change.Object);
                foreach (var (resource, item) in store.AllItemsCore())
                {
                    if (ObjectMeta.Namespace(item) == ns && !ObjectMeta.IsDeleting(item))
                    {
                        store.DeleteCore(resource, item, DeleteRequest.Background);
                    }
                }

                TryFinalize(ns);
            }

            return;
        }

        if (change.Type == WatchEventType.Deleted && change.Namespace.Length > 0)
        {
            TryFinalize(change.Namespace);
        }
    }

    private void TryFinalize(string ns)
    {
        if (store.FindCore(WellKnown.Namespaces, "", ns) is not { } namespaceObject
            || !ObjectMeta.IsDeleting(namespaceObject)
            || store.AllItemsCore().Any(i => ObjectMeta.Namespace(i.Object) == ns))
        {
            return;
        }

        store.MutateCore(WellKnown.Namespaces, namespaceObject, o =>
        {
            if (JsonNodes.GetObject(o, "spec")?["finalizers"] is System.Text.Json.Nodes.JsonArray finalizers)
            {
                var kept = JsonNodes.StringList(finalizers).Where(f => f != NamespaceStrategy.Finalizer).ToArray();
                JsonNodes.EnsureObject(o, "spec")["finalizers"] = JsonNodes.ToArray(kept);
                if (kept.Length == 0)
                {
                    JsonNodes.EnsureObject(o, "spec").Remove("finalizers");
                }
            }
        });
    }
}
