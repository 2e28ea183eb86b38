using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Patching;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Subresources;
using Lepton.Testing.KubeApiServer.Tables;
using Microsoft.AspNetCore.Http;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>Serves resource URLs: CRUD, list, watch, status, binding and eviction.</summary>
internal sealed class ResourceHandler(ObjectStore store, TableConverter tables, WatchStreamer watches)
{
    private const string JsonPatchType = "application/json-patch+json";
    private const string MergePatchType = "application/merge-patch+json";
    private const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";

    private readonly PodBinder _binder = new(store);
    private readonly PodEvictor _evictor = new(store);

    public async Task HandleAsync(HttpContext context, RequestInfo info, CancellationToken cancellationToken)
    {
        var definition = store.Registry.Find(info.ApiGroup, info.ApiVersion, info.Resource) ?? throw ApiErrors.NotFoundPath();
        if (!definition.Namespaced && info.Namespace.Length > 0 && info.Resource != "namespaces")
        {
            throw ApiErrors.NotFoundPath();
        }

        var ns = definition.Namespaced ? info.Namespace : "";
        var query = new QueryOptions(context.Request.Query);
        var format = ResponseFormat.Negotiate(context.Request.Headers.Accept.ToString());

        if (info.Subresource.Length > 0)
        {
            await HandleSubresourceAsync(context, info, definition, ns, query, format, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (definition.GroupResource == new GroupResource("", "bindings") && info.Verb == "create")
        {
            var binding = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
            await HttpJson.WriteAsync(context.Response, 201, _binder.Bind(ns, null, binding), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!definition.SupportsVerb(info.Verb))
        {
            throw ApiErrors.MethodNotSupported(definition.GroupResource, info.Verb);
        }

        switch (info.Verb)
        {
            case "get":
                await WriteObjectAsync(context, definition, store.Get(definition, ns, info.Name), format, query, 200, cancellationToken).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, definition, ns, query, format, cancellationToken).ConfigureAwait(false);
                break;
            case "watch":
                await watches.StreamAsync(context, definition, info, format, cancellationToken).ConfigureAwait(false);
                break;
            case "create":
                {
                    if (definition.Namespaced && ns.Length == 0)
                    {
                        throw ApiErrors.MethodNotSupported(definition.GroupResource, "create without a namespace in the URL");
                    }

                    var body = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    var fieldValidation = FieldValidation.Parse(query.String("fieldValidation"), "CreateOptions");
                    var created = store.Create(definition, ns, body, query.DryRun, fieldValidation);
                    AddWarnings(context, fieldValidation);
                    await WriteObjectAsync(context, definition, created, format, query, 201, cancellationToken).ConfigureAwait(false);
                    break;
                }

            case "update":
                {
                    var body = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    var fieldValidation = FieldValidation.Parse(query.String("fieldValidation"), "UpdateOptions");
                    var updated = store.Update(definition, ns, info.Name, body, statusOnly: false, query.DryRun, fieldValidation);
                    AddWarnings(context, fieldValidation);
                    await WriteObjectAsync(context, definition, updated, format, query, 200, cancellationToken).ConfigureAwait(false);
                    break;
                }

            case "patch":
                await PatchAsync(context, definition, ns, info.Name, statusOnly: false, query, format, cancellationToken).ConfigureAwait(false);
                break;
            case "delete":
                await DeleteAsync(context, definition, ns, info.Name, query, format, cancellationToken).ConfigureAwait(false);
                break;
            case "deletecollection":
                {
                    var body = await HttpJson.ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false) as JsonObject;
                    var deleted = store.DeleteCollection(definition, new ListQuery(query.Filter(definition, ns, null)), query.DeleteRequest(body));
                    await HttpJson.WriteAsync(context.Response, 200, ListObject(definition, deleted, store.ResourceVersion, null, null), cancellationToken).ConfigureAwait(false);
                    break;
                }

            default:
                throw ApiErrors.MethodNotSupported(definition.GroupResource, info.Verb);
        }
    }

    private async Task HandleSubresourceAsync(HttpContext context, RequestInfo info, ResourceDefinition definition, string ns, QueryOptions query, ResponseFormat format, CancellationToken cancellationToken)
    {
        var subresource = definition.FindSubresource(info.Subresource) ?? throw ApiErrors.NotFoundPath();
        if (!subresource.Verbs.Contains(info.Verb))
        {
            throw ApiErrors.MethodNotSupported(new GroupResource(definition.Group, info.ResourceWithSubresource), info.Verb);
        }

        switch (subresource.Name, info.Verb)
        {
            case (SubresourceDefinition.Status, "get"):
                await WriteObjectAsync(context, definition, store.Get(definition, ns, info.Name), format, query, 200, cancellationToken).ConfigureAwait(false);
                break;
            case (SubresourceDefinition.Status, "update"):
                {
                    var body = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    var fieldValidation = FieldValidation.Parse(query.String("fieldValidation"), "UpdateOptions");
                    var updated = store.Update(definition, ns, info.Name, body, statusOnly: true, query.DryRun, fieldValidation);
                    AddWarnings(context, fieldValidation);
                    await WriteObjectAsync(context, definition, updated, format, query, 200, cancellationToken).ConfigureAwait(false);
                    break;
                }

            case (SubresourceDefinition.Status, "patch"):
                await PatchAsync(context, definition, ns, info.Name, statusOnly: true, query, format, cancellationToken).ConfigureAwait(false);
                break;
            case (SubresourceDefinition.Binding, "create"):
                {
                    var binding = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    await HttpJson.WriteAsync(context.Response, 201, _binder.Bind(ns, info.Name, binding), cancellationToken).ConfigureAwait(false);
                    break;
                }

            case (SubresourceDefinition.Eviction, "create"):
                {
                    var eviction = await HttpJson.ReadObjectAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    await HttpJson.WriteAsync(context.Response, 201, _evictor.Evict(ns, info.Name, eviction), cancellationToken).ConfigureAwait(false);
                    break;
                }

            default:
                throw ApiErrors.MethodNotSupported(new GroupResource(definition.Group, info.ResourceWithSubresource), info.Verb);
        }
    }

    private async Task ListAsync(HttpContext context, ResourceDefinition definition, string ns, QueryOptions query, ResponseFormat format, CancellationToken cancellationToken)
    {
        var page = store.List(definition, new ListQuery(query.Filter(definition, ns, null), query.Int("limit"), query.String("continue")));
        JsonNode body = format.Kind switch
        {
            ResponseKind.Table => tables.ToTable(definition, page.Items, new TableRequest(format.ApiVersion, query.String("includeObject") ?? "Metadata"),
                ListMetadata(page.ResourceVersion, page.Continue, page.RemainingItemCount)),
            ResponseKind.PartialObjectMetadata => PartialList(format, page),
            _ => ListObject(definition, page.Items, page.ResourceVersion, page.Continue, page.RemainingItemCount),
        };
        await HttpJson.WriteAsync(context.Response, 200, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceDefinition definition, string ns, string name, bool statusOnly, QueryOptions query, ResponseFormat format, CancellationToken cancellationToken)
    {
        var mediaType = HttpJson.MediaType(context.Request);
        var patch = await HttpJson.ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false)
            ?? throw ApiErrors.BadRequest("the patch body is empty");
        Func<JsonObject, JsonObject> apply;
        Func<JsonObject>? createFrom = null;
        switch (mediaType)
        {
            case JsonPatchType:
                var operations = patch as JsonArray ?? throw ApiErrors.BadRequest("a JSON patch must be an array of operations");
                apply = current => JsonPatch.Apply(current, operations);
                break;
            case MergePatchType:
                apply = current => JsonMergePatch.Apply(current, AsObject(patch));
                break;
            case StrategicMergePatchType when !definition.IsCustomResource:
                apply = current => JsonMergePatch.Apply(current, AsObject(patch), strategic: true);
                break;
            case ApplyPatchType:
                if (string.IsNullOrEmpty(query.String("fieldManager")))
                {
                    throw ApiErrors.Invalid("PatchOptions", "meta.k8s.io", "", [FieldError.Required("fieldManager", "is required for apply patch")]);
                }

                apply = current => JsonMergePatch.Apply(current, AsObject(patch));
                createFrom = () => AsObject(patch);
                break;
            default:
                throw ApiErrors.UnsupportedMediaType(mediaType,
                    definition.IsCustomResource
                        ? [JsonPatchType, MergePatchType, ApplyPatchType]
                        : [JsonPatchType, MergePatchType, StrategicMergePatchType, ApplyPatchType]);
        }

        var fieldValidation = FieldValidation.Parse(query.String("fieldValidation"), "PatchOptions");
        var (result, created) = store.Patch(definition, ns, name, apply, statusOnly, query.DryRun, createFrom, fieldValidation);
        AddWarnings(context, fieldValidation);
        await WriteObjectAsync(context, definition, result, format, query, created ? 201 : 200, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ResourceDefinition definition, string ns, string name, QueryOptions query, ResponseFormat format, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false) as JsonObject;
        var outcome = store.Delete(definition, ns, name, query.DeleteRequest(body));
        if (outcome.Removed && !definition.ReturnDeletedObject)
        {
            var status = ApiErrors.Success(ApiErrors.Details(definition.GroupResource, name, ObjectMeta.Uid(outcome.Object)));
            await HttpJson.WriteAsync(context.Response, 200, status, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteObjectAsync(context, definition, outcome.Object, format, query, 200, cancellationToken).ConfigureAwait(false);
    }

    private Task WriteObjectAsync(HttpContext context, ResourceDefinition definition, JsonObject obj, ResponseFormat format, QueryOptions query, int statusCode, CancellationToken cancellationToken)
    {
        JsonNode body = format.Kind switch
        {
            ResponseKind.Table => tables.ToTable(definition, [obj], new TableRequest(format.ApiVersion, query.String("includeObject") ?? "Metadata"),
                ListMetadata(long.Parse(ObjectMeta.ResourceVersion(obj) ?? "0", CultureInfo.InvariantCulture), null, null)),
            ResponseKind.PartialObjectMetadata => Partial(format, obj),
            _ => obj,
        };
        return HttpJson.WriteAsync(context.Response, statusCode, body, cancellationToken);
    }

    private static JsonObject ListObject(ResourceDefinition definition, IEnumerable<JsonObject> items, long resourceVersion, string? continueToken, long? remaining)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(item);
        }

        return new JsonObject
        {
            ["kind"] = definition.ListKind,
            ["apiVersion"] = definition.ApiVersion,
            ["metadata"] = ListMetadata(resourceVersion, continueToken, remaining),
            ["items"] = array,
        };
    }

    private static JsonObject ListMetadata(long resourceVersion, string? continueToken, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return metadata;
    }

    private static JsonObject Partial(ResponseFormat format, JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = format.ApiVersion,
        ["metadata"] = ObjectMeta.Of(obj).DeepClone(),
    };

    private static JsonObject PartialList(ResponseFormat format, ListResult page)
    {
        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            items.Add(Partial(format, item));
        }

        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadataList",
            ["apiVersion"] = format.ApiVersion,
            ["metadata"] = ListMetadata(page.ResourceVersion, page.Continue, page.RemainingItemCount),
            ["items"] = items,
        };
    }

    /// <summary>One <c>Warning: 299 - "..."</c> header per warning, as the real server sends them (kubectl prints them).</summary>
    private static void AddWarnings(HttpContext context, FieldValidation fieldValidation)
    {
        foreach (var warning in fieldValidation.Warnings)
        {
            context.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }
    }

    private static JsonObject AsObject(JsonNode patch) => patch as JsonObject ?? throw ApiErrors.BadRequest("the patch must be a JSON object");
}
