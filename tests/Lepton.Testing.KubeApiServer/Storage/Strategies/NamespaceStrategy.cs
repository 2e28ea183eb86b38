using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Storage.Strategies;

/// <summary>Namespaces: the <c>kubernetes</c> spec finalizer, <c>Active</c>/<c>Terminating</c> phases and the name label.</summary>
internal sealed class NamespaceStrategy() : ResourceStrategy(nameIsDnsLabel: true)
{
    public const string Finalizer = "kubernetes";

    public override void PrepareForCreate(JsonObject obj, DateTimeOffset now)
    {
        JsonNodes.EnsureObject(obj, "spec")["finalizers"] = new JsonArray(Finalizer);
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        JsonNodes.EnsureObject(ObjectMeta.Of(obj), "labels")["kubernetes.io/metadata.name"] = ObjectMeta.Name(obj);
    }

    public override void OnDeletionStarted(JsonObject obj) =>
        JsonNodes.EnsureObject(obj, "status")["phase"] = "Terminating";

    public override bool BlocksRemoval(JsonObject obj) =>
        JsonNodes.GetArray(JsonNodes.GetObject(obj, "spec"), "finalizers") is { Count: > 0 };
}
