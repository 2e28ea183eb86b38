using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Controllers;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage.Strategies;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>Create, update, patch and delete with the real server's preconditions and metadata rules.</summary>
internal sealed partial class ObjectStore
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    private static readonly string[] SystemMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name", "namespace"];

    public JsonObject Create(ResourceDefinition definition, string? ns, JsonObject body, bool dryRun = false, FieldValidation? fieldValidation = null) =>
        Atomically(() => Present(definition, CreateCore(definition, ns, body, dryRun, fieldValidation)));

    public JsonObject Update(
        ResourceDefinition definition, string ns, string name, JsonObject body, bool statusOnly, bool dryRun = false, FieldValidation? fieldValidation = null) =>
        Atomically(() =>
        {
            var existing = FindCore(definition.GroupResource, ns, name) ?? throw ApiErrors.NotFound(definition.GroupResource, name);
            var candidate = Normalize(definition, body);
            CheckIdentity(definition, candidate, ns, name);
            var rv = ObjectMeta.ResourceVersion(candidate);
            if (string.IsNullOrEmpty(rv) && !definition.AllowUnconditionalUpdate)
            {
                throw ApiErrors.Invalid(definition.Kind, definition.Group, name,
                    [FieldError.InvalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }

            return Present(definition, UpdateCore(definition, existing, candidate, statusOnly, dryRun, fieldValidation));
        });

    /// <summary>
    /// Applies <paramref name="patch"/> to the current object and runs the update rules on the result. When
    /// the object is missing, <paramref name="createFrom"/> (server-side apply) supplies an object to create.
    /// </summary>
    public (JsonObject Object, bool Created) Patch(
        ResourceDefinition definition,
        string ns,
        string name,
        Func<JsonObject, JsonObject> patch,
        bool statusOnly,
        bool dryRun = false,
        Func<JsonObject>? createFrom = null,
        FieldValidation? fieldValidation = null) =>
        Atomically(() =>
        {
            var existing = FindCore(definition.GroupResource, ns, name);
            if (existing is null)
            {
                if (createFrom is null || statusOnly)
                {
                    throw ApiErrors.NotFound(definition.GroupResource, name);
                }

                var created = createFrom();
                CheckIdentity(definition, created, ns, name);
                return (Present(definition, CreateCore(definition, ns, created, dryRun, fieldValidation)), true);
            }

            var patched = Normalize(definition, patch(Present(definition, existing)));
            CheckIdentity(definition, patched, ns, name);
            return (Present(definition, UpdateCore(definition, existing, patched, statusOnly, dryRun, fieldValidation)), false);
        });

    public DeleteOutcome Delete(ResourceDefinition definition, string ns, string name, DeleteRequest request) =>
        Atomically(() =>
        {
            var resource = definition.GroupResource;
            var existing = FindCore(resource, ns, name) ?? throw ApiErrors.NotFound(resource, name);
            CheckDeletePreconditions(resource, existing, request);
            if (request.DryRun)
            {
                return new DeleteOutcome(Present(definition, existing), false);
            }

            var outcome = DeleteCore(resource, existing, request.PropagationPolicy);
            return outcome with { Object = Present(definition, outcome.Object) };
        });

    public IReadOnlyList<JsonObject> DeleteCollection(ResourceDefinition definition, ListQuery query, DeleteRequest request) =>
        Atomically(() =>
        {
            var deleted = new List<JsonObject>();
            foreach (var item in ItemsCore(definition.GroupResource, query.Filter.Namespace).Where(query.Filter.Matches))
            {
                deleted.Add(Present(definition, request.DryRun ? item : DeleteCore(definition.GroupResource, item, request.PropagationPolicy).Object));
            }

            return (IReadOnlyList<JsonObject>)deleted;
        });

    /// <summary>Inserts or replaces an object as-is (no validation, admission or status reset); fills missing system metadata.</summary>
    public JsonObject Seed(ResourceDefinition definition, JsonObject obj) => Atomically(() =>
    {
        var seeded = Normalize(definition, obj);
        var meta = ObjectMeta.Of(seeded);
        if (definition.Namespaced && string.IsNullOrEmpty(ObjectMeta.Namespace(seeded)))
        {
            meta["namespace"] = "default";
        }
        else if (!definition.Namespaced)
        {
            meta.Remove("namespace");
        }

        var name = ObjectMeta.Name(seeded);
        if (string.IsNullOrEmpty(name))
        {
            throw ApiErrors.Invalid(definition.Kind, definition.Group, "", [FieldError.Required("metadata.name", "name is required")]);
        }

        var existing = FindCore(definition.GroupResource, ObjectMeta.Namespace(seeded), name);
        meta["uid"] ??= existing is null ? NewUid() : ObjectMeta.Uid(existing);
        meta["creationTimestamp"] ??= existing is null ? KubeTime.Format(Now) : ObjectMeta.Of(existing)["creationTimestamp"]?.DeepClone();
        meta["generation"] ??= existing is null ? 1 : ObjectMeta.Generation(existing);
        if (existing is null)
        {
            meta.Remove("resourceVersion");
            return Present(definition, CommitPutCore(definition.GroupResource, seeded, null));
        }

        meta["resourceVersion"] = ObjectMeta.ResourceVersion(existing);
        return JsonNode.DeepEquals(existing, seeded) ? Present(definition, existing) : Present(definition, CommitChangeCore(definition.GroupResource, existing, seeded));
    });

    /// <summary>A direct change, as a controller would make it (no validation); null when the object is gone afterwards.</summary>
    public JsonObject? Modify(ResourceDefinition definition, string ns, string name, Action<JsonObject> mutate) => Atomically(() =>
    {
        var resource = definition.GroupResource;
        var existing = FindCore(resource, ns, name) ?? throw ApiErrors.NotFound(resource, name);
        var result = MutateCore(resource, existing, mutate);
        return FindCore(resource, ns, name) is null ? null : Present(definition, result);
    });

    // ---- core operations (lock held) ----------------------------------------------------------------

    internal JsonObject CreateCore(ResourceDefinition definition, string? urlNamespace, JsonObject body, bool dryRun, FieldValidation? fieldValidation = null)
    {
        var resource = definition.GroupResource;
        if (!definition.SupportsVerb("create"))
        {
            throw ApiErrors.MethodNotSupported(resource, "create");
        }

        var obj = Normalize(definition, body);
        DecodeCustomResource(definition, obj, fieldValidation);
        var meta = ObjectMeta.Of(obj);
        var ns = ResolveNamespace(definition, meta, urlNamespace);
        if (!string.IsNullOrEmpty(ObjectMeta.ResourceVersion(obj)))
        {
            throw ApiErrors.Internal("resourceVersion should not be set on objects to be created");
        }

        var name = ObjectMeta.Name(obj);
        var generateName = JsonNodes.GetString(meta, "generateName");
        if (string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(generateName))
        {
            name = GenerateName(resource, ns, generateName);
            meta["name"] = name;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw ApiErrors.Invalid(definition.Kind, definition.Group, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }

        CheckNamespaceAdmission(definition, ns, name);
        AdmitPriority(definition, obj, name);
        CheckCustomResourceServed(definition);
        if (FindCore(resource, ns, name) is not null)
        {
            throw ApiErrors.AlreadyExists(resource, name);
        }

        var strategy = StrategyFor(resource);
        strategy.ApplyDefaults(obj);
        if (definition.ClearStatusOnCreate)
        {
            obj.Remove("status");
        }

        var now = Now;
        strategy.PrepareForCreate(obj, now);
        foreach (var key in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink" })
        {
            meta.Remove(key);
        }

        meta["uid"] = NewUid();
        meta["creationTimestamp"] = KubeTime.Format(now);
        meta["generation"] = 1;

        var errors = MetadataValidation.ValidateName(name, strategy.NameIsDnsLabel)
            .Concat(MetadataValidation.ValidateLabels(obj))
            .Concat(strategy.ValidateCreate(obj))
            .Concat(definition.Schema?.Validate(obj, null) ?? [])
            .ToList();
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(definition.Kind, definition.Group, name, errors);
        }

        return dryRun ? obj : CommitPutCore(resource, obj, null);
    }

    internal JsonObject UpdateCore(
        ResourceDefinition definition, JsonObject existing, JsonObject candidate, bool statusOnly, bool dryRun, FieldValidation? fieldValidation = null)
    {
        var resource = definition.GroupResource;
        DecodeCustomResource(definition, candidate, fieldValidation);
        var name = ObjectMeta.Name(existing);
        var rv = ObjectMeta.ResourceVersion(candidate);
        if (!string.IsNullOrEmpty(rv) && rv != ObjectMeta.ResourceVersion(existing))
        {
            throw ApiErrors.StaleResourceVersion(resource, name);
        }

        var uid = ObjectMeta.Uid(candidate);
        if (!string.IsNullOrEmpty(uid) && uid != ObjectMeta.Uid(existing))
        {
            throw ApiErrors.Conflict(resource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Uid(existing)}");
        }

        var strategy = StrategyFor(resource);
        var errors = new List<FieldError>();
        JsonObject updated;
        if (statusOnly)
        {
            // The status endpoint takes nothing but status.
            updated = JsonNodes.Clone(existing);
            CopyField(candidate, updated, "status");
        }
        else
        {
            updated = JsonNodes.Clone(candidate);
            var meta = ObjectMeta.Of(updated);
            var existingMeta = ObjectMeta.Of(JsonNodes.Clone(existing));
            foreach (var key in SystemMetadata)
            {
                CopyField(existingMeta, meta, key);
            }

            meta.Remove("managedFields");
            meta.Remove("selfLink");
            if (definition.HasStatusSubresource)
            {
                // The main endpoint ignores status changes when a status subresource exists.
                CopyField(existing, updated, "status");
            }

            strategy.ApplyDefaults(updated);
            errors.AddRange(MetadataValidation.ValidateLabels(updated));
            if (ObjectMeta.IsDeleting(existing))
            {
                var added = ObjectMeta.Finalizers(updated).Except(ObjectMeta.Finalizers(existing)).ToArray();
                if (added.Length > 0)
                {
                    errors.Add(FieldError.Forbidden("metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers [" + string.Join(" ", added.Select(a => "\"" + a + "\"")) + "]"));
                }
            }

            errors.AddRange(strategy.ValidateUpdate(existing, updated));
        }

        if (definition.Schema is { } schema)
        {
            // Against the old object: unchanged values are ratcheted, so a status write answers for its status.
            errors.AddRange(schema.Validate(updated, existing));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(definition.Kind, definition.Group, name, errors);
        }

        ApplyGeneration(resource, existing, updated);
        ObjectMeta.Of(updated)["resourceVersion"] = ObjectMeta.ResourceVersion(existing);
        if (JsonNode.DeepEquals(existing, updated))
        {
            // A no-op write does not bump resourceVersion and sends no event (etcd3 store semantics).
            return existing;
        }

        return dryRun ? updated : CommitChangeCore(resource, existing, updated);
    }

    /// <summary>
    /// Deletes with finalizer semantics: an object with finalizers (or with Orphan/Foreground propagation)
    /// only gets a deletionTimestamp and stays until they are gone.
    /// </summary>
    internal DeleteOutcome DeleteCore(GroupResource resource, JsonObject existing, string? propagationPolicy)
    {
        var strategy = StrategyFor(resource);
        var finalizers = ObjectMeta.Finalizers(existing).ToList();
        var policyFinalizer = propagationPolicy switch
        {
            DeleteRequest.Orphan => OrphanFinalizer,
            DeleteRequest.Foreground => ForegroundFinalizer,
            _ => null,
        };
        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
        {
            finalizers.Add(policyFinalizer);
        }

        if (ObjectMeta.IsDeleting(existing))
        {
            var changed = MutateCore(resource, existing, o => ObjectMeta.SetFinalizers(o, finalizers));
            return new DeleteOutcome(changed, FindCore(resource, ObjectMeta.Namespace(existing), ObjectMeta.Name(existing)) is null);
        }

        if (finalizers.Count == 0 && !strategy.BlocksRemoval(existing))
        {
            return new DeleteOutcome(CommitRemoveCore(resource, existing, existing), true);
        }

        var updated = JsonNodes.Clone(existing);
        var meta = ObjectMeta.Of(updated);
        meta["deletionTimestamp"] = KubeTime.Format(Now);
        meta["deletionGracePeriodSeconds"] = 0;
        meta["generation"] = ObjectMeta.Generation(existing) + 1;
        ObjectMeta.SetFinalizers(updated, finalizers);
        strategy.OnDeletionStarted(updated);
        return new DeleteOutcome(CommitPutCore(resource, updated, existing), false);
    }

    private static void CheckDeletePreconditions(GroupResource resource, JsonObject existing, DeleteRequest request)
    {
        var name = ObjectMeta.Name(existing);
        if (!string.IsNullOrEmpty(request.PreconditionUid) && request.PreconditionUid != ObjectMeta.Uid(existing))
        {
            throw ApiErrors.Conflict(resource, name,
                $"Precondition failed: UID in precondition: {request.PreconditionUid}, UID in object meta: {ObjectMeta.Uid(existing)}");
        }

        if (!string.IsNullOrEmpty(request.PreconditionResourceVersion) && request.PreconditionResourceVersion != ObjectMeta.ResourceVersion(existing))
        {
            throw ApiErrors.Conflict(resource, name,
                $"Precondition failed: ResourceVersion in precondition: {request.PreconditionResourceVersion}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(existing)}");
        }
    }

    /// <summary>Checks apiVersion and kind of a body and returns a copy with both set, kind and apiVersion first.</summary>
    private static JsonObject Normalize(ResourceDefinition definition, JsonObject body)
    {
        var apiVersion = JsonNodes.GetString(body, "apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != definition.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({definition.ApiVersion})");
        }

        var kind = JsonNodes.GetString(body, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != definition.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({definition.Kind})");
        }

        var normalized = new JsonObject { ["kind"] = definition.Kind, ["apiVersion"] = definition.ApiVersion };
        foreach (var (key, value) in body)
        {
            if (key is not ("kind" or "apiVersion"))
            {
                normalized[key] = value?.DeepClone();
            }
        }

        if (normalized["metadata"] is not JsonObject)
        {
            normalized["metadata"] = new JsonObject();
        }

        JsonCanonicalizer.DropNulls(normalized);
        if (!definition.IsCustomResource)
        {
            JsonCanonicalizer.NormalizeTimestamps(normalized);
        }
        else
        {
            JsonCanonicalizer.NormalizeTimestamps(normalized["metadata"]);
        }

        return normalized;
    }

    /// <summary>
    /// Decodes a custom resource as the real server's codec does: prunes the fields its schema does not
    /// declare (a 400 under <c>fieldValidation=Strict</c>, a warning under Warn) and applies defaults.
    /// </summary>
    private static void DecodeCustomResource(ResourceDefinition definition, JsonObject obj, FieldValidation? fieldValidation)
    {
        if (definition.Schema is not { } schema)
        {
            return;
        }

        var unknown = schema.Decode(obj).Select(path => $"unknown field \"{path}\"").ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var directive = fieldValidation ?? new FieldValidation();
        switch (directive.Directive)
        {
            case FieldValidation.Strict:
                throw ApiErrors.BadRequest(
                    $"{definition.Kind} in version \"{definition.Version}\" cannot be handled as a {definition.Kind}: strict decoding error: {string.Join(", ", unknown)}");
            case FieldValidation.Warn:
                directive.Warnings.AddRange(unknown);
                break;
        }
    }

    private static void CheckIdentity(ResourceDefinition definition, JsonObject obj, string ns, string name)
    {
        var bodyName = ObjectMeta.Name(obj);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        ObjectMeta.Of(obj)["name"] = name;
        var bodyNamespace = ObjectMeta.Namespace(obj);
        if (definition.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static string ResolveNamespace(ResourceDefinition definition, JsonObject meta, string? urlNamespace)
    {
        if (!definition.Namespaced)
        {
            meta.Remove("namespace");
            return "";
        }

        var bodyNamespace = JsonNodes.GetString(meta, "namespace");
        if (!string.IsNullOrEmpty(bodyNamespace) && !string.IsNullOrEmpty(urlNamespace) && bodyNamespace != urlNamespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var ns = !string.IsNullOrEmpty(urlNamespace) ? urlNamespace : bodyNamespace;
        if (string.IsNullOrEmpty(ns))
        {
            throw ApiErrors.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        meta["namespace"] = ns;
        return ns;
    }

    /// <summary>
    /// The Priority admission plugin (<c>plugin/pkg/admission/priority</c>) on pod create: a pod's
    /// <c>priorityClassName</c> (or the <c>globalDefault</c> class when it names none) sets <c>spec.priority</c> and
    /// <c>spec.preemptionPolicy</c>; a missing class is 403, and a <c>spec.priority</c> that differs from the class's
    /// value is 403. Deviation: a pod with no class name while no class is the global default keeps its
    /// <c>spec.priority</c> as sent (the real plugin sets 0 and refuses any other value), so tests may still seed pods
    /// with a bare priority.
    /// </summary>
    private void AdmitPriority(ResourceDefinition definition, JsonObject obj, string name)
    {
        if (definition.GroupResource != WellKnown.Pods)
        {
            return;
        }

        var spec = JsonNodes.EnsureObject(obj, "spec");
        var className = JsonNodes.GetString(spec, "priorityClassName");
        JsonObject? priorityClass;
        if (string.IsNullOrEmpty(className))
        {
            priorityClass = ItemsCore(WellKnown.PriorityClasses).FirstOrDefault(c => c["globalDefault"]?.GetValueKind() == JsonValueKind.True);
            if (priorityClass is null)
            {
                return;
            }

            spec["priorityClassName"] = ObjectMeta.Name(priorityClass);
        }
        else
        {
            priorityClass = FindCore(WellKnown.PriorityClasses, "", className)
                ?? throw ApiErrors.Forbidden(WellKnown.Pods, name, $"no PriorityClass with name {className} was found");
        }

        var value = JsonNodes.GetInt64(priorityClass, "value") ?? 0;
        if (JsonNodes.GetInt64(spec, "priority") is { } given && given != value)
        {
            throw ApiErrors.Forbidden(WellKnown.Pods, name, string.Create(
                CultureInfo.InvariantCulture,
                $"the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name"));
        }

        spec["priority"] = value;
        spec["preemptionPolicy"] ??= JsonNodes.GetString(priorityClass, "preemptionPolicy") ?? "PreemptLowerPriority";
    }

    private void CheckNamespaceAdmission(ResourceDefinition definition, string ns, string name)
    {
        if (!definition.Namespaced || !_options.RequireExistingNamespace)
        {
            return;
        }

        var namespaceObject = FindCore(Namespaces, "", ns) ?? throw ApiErrors.NotFound(Namespaces, ns);
        if (ObjectMeta.IsDeleting(namespaceObject))
        {
            throw ApiErrors.Forbidden(definition.GroupResource, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private void CheckCustomResourceServed(ResourceDefinition definition)
    {
        if (definition.IsCustomResource && FindCore(CustomResourceDefinitions, "", definition.GroupResource.ToString()) is { } crd && ObjectMeta.IsDeleting(crd))
        {
            throw new KubeApiException(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating");
        }
    }

    private static void CopyField(JsonObject from, JsonObject to, string key)
    {
        if (from.TryGetPropertyValue(key, out var value) && value is not null)
        {
            to[key] = value.DeepClone();
        }
        else
        {
            to.Remove(key);
        }
    }
}
