using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// Owner-reference garbage collection: background deletion of dependents once their last owner is gone,
/// the <c>orphan</c> finalizer (strip owner references) and the <c>foregroundDeletion</c> finalizer (delete
/// dependents first). Runs synchronously after each change, so it is never observed half-done.
/// </summary>
internal sealed class GarbageCollector(ObjectStore store) : IStoreController
{
    public void OnCommitted(StoreEvent change)
    {
        var uid = ObjectMeta.Uid(change.Object);
        if (string.IsNullOrEmpty(uid))
        {
            return;
        }

        if (change.Type == WatchEventType.Deleted)
        {
            CollectDependentsOf(uid);
            foreach (var ownerUid in ObjectMeta.OwnerUids(change.Object))
            {
                TryFinishForeground(ownerUid);
            }

            return;
        }

        if (store.FindByUidCore(uid, out var resource) is not { } current || !ObjectMeta.IsDeleting(current))
        {
            return;
        }

        var finalizers = ObjectMeta.Finalizers(current);
        if (finalizers.Contains(ObjectStore.OrphanFinalizer))
        {
            foreach (var (dependentResource, dependent) in DependentsOf(uid))
            {
                store.MutateCore(dependentResource, dependent, o => ObjectMeta.RemoveOwner(o, uid));
            }

            store.MutateCore(resource, current, o => ObjectMeta.SetFinalizers(o, ObjectMeta.Finalizers(o).Where(f => f != ObjectStore.OrphanFinalizer)));
        }
        else if (finalizers.Contains(ObjectStore.ForegroundFinalizer))
        {
            foreach (var (dependentResource, dependent) in DependentsOf(uid))
            {
                if (!ObjectMeta.IsDeleting(dependent))
                {
                    store.DeleteCore(dependentResource, dependent, DeleteRequest.Foreground);
                }
            }

            TryFinishForeground(uid);
        }
    }

    private void CollectDependentsOf(string ownerUid)
    {
        foreach (var (resource, snapshot) in DependentsOf(ownerUid))
        {
            // Re-read: an earlier cascade step may already have changed or removed it.
            if (store.FindCore(resource, ObjectMeta.Namespace(snapshot), ObjectMeta.Name(snapshot)) is not { } dependent)
            {
                continue;
            }

            var otherOwnerAlive = ObjectMeta.OwnerUids(dependent).Any(o => o != ownerUid && store.FindByUidCore(o, out _) is not null);
            if (otherOwnerAlive)
            {
                store.MutateCore(resource, dependent, o => ObjectMeta.RemoveOwner(o, ownerUid));
            }
            else if (!ObjectMeta.IsDeleting(dependent))
            {
                store.DeleteCore(resource, dependent, DeleteRequest.Background);
            }
        }
    }

    private void TryFinishForeground(string ownerUid)
    {
        if (store.FindByUidCore(ownerUid, out var resource) is not { } owner
            || !ObjectMeta.IsDeleting(owner)
            || !ObjectMeta.Finalizers(owner).Contains(ObjectStore.ForegroundFinalizer)
            || DependentsOf(ownerUid).Any())
        {
            return;
        }

        store.MutateCore(resource, owner, o => ObjectMeta.SetFinalizers(o, ObjectMeta.Finalizers(o).Where(f => f != ObjectStore.ForegroundFinalizer)));
    }

    private IEnumerable<(Resources.GroupResource Resource, JsonObject Object)> DependentsOf(string ownerUid) =>
        store.AllItemsCore().Where(i => ObjectMeta.OwnerUids(i.Object).Contains(ownerUid)).ToArray();
}
