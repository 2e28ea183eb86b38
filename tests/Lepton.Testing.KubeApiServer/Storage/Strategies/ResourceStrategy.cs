using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;

namespace Lepton.Testing.KubeApiServer.Storage.Strategies;

/// <summary>
/// Per-resource behaviour of the registry (the REST strategy of the real server): defaulting, create
/// preparation, validation and deletion rules. The base class is the behaviour of a plain resource.
/// </summary>
internal class ResourceStrategy(bool nameIsDnsLabel = false)
{
    public static ResourceStrategy Default { get; } = new();

    /// <summary>Whether names must be RFC 1123 labels (namespaces, services) rather than subdomains.</summary>
    public bool NameIsDnsLabel { get; } = nameIsDnsLabel;

    /// <summary>Fills defaults, as decoding does on the real server (create and update alike).</summary>
    public virtual void ApplyDefaults(JsonObject obj)
    {
    }

    /// <summary>Normalises a new object after its status was cleared (if the resource clears it).</summary>
    public virtual void PrepareForCreate(JsonObject obj, DateTimeOffset now)
    {
    }

    public virtual IEnumerable<FieldError> ValidateCreate(JsonObject obj) => [];

    public virtual IEnumerable<FieldError> ValidateUpdate(JsonObject oldObj, JsonObject newObj) => [];

    /// <summary>Called when an object gets its deletionTimestamp.</summary>
    public virtual void OnDeletionStarted(JsonObject obj)
    {
    }

    /// <summary>Whether something other than <c>metadata.finalizers</c> still holds a deleting object.</summary>
    public virtual bool BlocksRemoval(JsonObject obj) => false;
}
