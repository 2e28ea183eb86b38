using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Storage.Strategies;

/// <summary>CustomResourceDefinitions: structural validation, immutable group and plural, the cleanup finalizer.</summary>
internal sealed class CustomResourceDefinitionStrategy : ResourceStrategy
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public override void PrepareForCreate(JsonObject obj, DateTimeOffset now)
    {
        var finalizers = ObjectMeta.Finalizers(obj).ToList();
        if (!finalizers.Contains(CleanupFinalizer))
        {
            finalizers.Add(CleanupFinalizer);
        }

        ObjectMeta.SetFinalizers(obj, finalizers);
    }

    public override IEnumerable<FieldError> ValidateCreate(JsonObject obj) => CustomResourceDefinitionReader.Validate(obj);

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject oldObj, JsonObject newObj)
    {
        foreach (var error in CustomResourceDefinitionReader.Validate(newObj))
        {
            yield return error;
        }

        var before = CustomResourceDefinitionReader.GroupResourceOf(oldObj);
        var after = CustomResourceDefinitionReader.GroupResourceOf(newObj);
        if (before.Group != after.Group)
        {
            yield return FieldError.Invalid("spec.group", after.Group, "field is immutable");
        }

        if (before.Resource != after.Resource)
        {
            yield return FieldError.Invalid("spec.names.plural", after.Resource, "field is immutable");
        }
    }
}
